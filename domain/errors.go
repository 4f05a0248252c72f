// Package domain holds the types every part of Mezhved speaks: requests, their
// statuses and events, and errors that carry a code and a message for the clerk
// next to the details for the log. It imports nothing of the project.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. A code says what kind of failure it is, so that the window can
// choose the words and the CLI the exit status; the details stay in the log.
const (
	EINVALID     = "invalid"     // the input is wrong: the user can fix it
	ENOTFOUND    = "not_found"   // the thing asked for does not exist
	ECONFLICT    = "conflict"    // the action clashes with the current state
	ECORRUPT     = "corrupt"     // stored data is damaged or not ours
	ETOONEW      = "too_new"     // data written by a newer version
	EUNAVAILABLE = "unavailable" // a resource is busy or unreachable: try later
	EPERMISSION  = "permission"  // the system refused access (files, keys)
	ESIGNATURE   = "signature"   // a signature or certificate problem
	EINTERNAL    = "internal"    // a defect: nothing the user can do
	ELOCKED      = "locked"      // another instance holds the journal
	EFAULT       = "smev_fault"  // SMEV answered with a fault
	EUNSUPPORTED = "unsupported" // not supported by this version
)

// Error is an error with a code, a message meant for the clerk (Russian), and
// the underlying cause for the log.
type Error struct {
	Code    string // one of the E* codes
	Message string // for the user, in Russian; never holds secrets
	Op      string // where it happened, for the log (e.g. "store.Open")
	Err     error  // the cause, for the log
}

func (e *Error) Error() string {
	s := e.Message
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a formatted user message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with a code, a user message and the cause.
func Wrap(err error, code, op, message string) *Error {
	return &Error{Code: code, Op: op, Message: message, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user message of the first *Error in err's chain,
// or a generic Russian message for any other error. Raw Go errors never reach
// the clerk.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Внутренняя ошибка программы. Подробности записаны в журнал работы."
}
