package xmltree

import (
	"errors"
	"fmt"
)

// Limits bound what a document may contain. A zero field takes the value
// of DefaultLimits.
type Limits struct {
	MaxBytes int // the whole document
	MaxDepth int // element nesting
	MaxAttrs int // attributes and namespace declarations on one element
	MaxNodes int // elements, text nodes, comments and PIs (about 170 bytes of memory each)
	// MaxScope bounds the namespace declarations in scope along one chain
	// of ancestors (shadowed ones included): it keeps the namespace work of
	// canonicalization linear on hostile input.
	MaxScope int
}

// DefaultLimits suit SMEV envelopes (SMEV itself takes at most 5 MB of XML;
// attachments travel outside it).
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxDepth: 256, MaxAttrs: 256, MaxNodes: 2 << 20, MaxScope: 128}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxAttrs <= 0 {
		l.MaxAttrs = DefaultLimits.MaxAttrs
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultLimits.MaxNodes
	}
	if l.MaxScope <= 0 {
		l.MaxScope = DefaultLimits.MaxScope
	}
	return l
}

// ErrDTD is returned for any document type declaration: DTDs and entity
// declarations are never processed.
var ErrDTD = errors.New("xml: DOCTYPE and entity declarations are not allowed")

// ErrTooLarge is returned when a document breaks a limit.
var ErrTooLarge = errors.New("xml: document exceeds the size limits")

// SyntaxError is a well-formedness error at a byte offset.
type SyntaxError struct {
	Offset int
	Line   int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("xml: line %d (byte %d): %s", e.Line, e.Offset, e.Msg)
}

// Problem says in Russian, for the person who sent the document, why Parse
// refused it (the error itself, for the log, says where).
func Problem(err error) string {
	switch {
	case errors.Is(err, ErrDTD):
		return "Документ содержит DOCTYPE или объявления сущностей: такие документы не принимаются"
	case errors.Is(err, ErrTooLarge):
		return "Документ слишком велик или слишком глубоко вложен"
	}
	return "Документ не является правильным XML"
}
