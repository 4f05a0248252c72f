package templates

import "github.com/mezhved/mezhved/internal/xmltree"

// maxDepth bounds the nesting of elements in a template file.
const maxDepth = 64

// parseXML reads a template file or a composed body with the strict reader
// (no DOCTYPE, no entities, bounded nesting).
func parseXML(data []byte) (*xmltree.Doc, error) {
	return xmltree.ParseLimits(data, xmltree.Limits{MaxDepth: maxDepth})
}
