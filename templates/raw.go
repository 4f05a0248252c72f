package templates

import "github.com/mezhved/mezhved/templates/internal/xmltree"

// maxDepth bounds the nesting of elements in a template file.
const maxDepth = 64

// parseXML reads a template file or a composed body keeping prefixes as
// written; text made only of white space is dropped.
func parseXML(data []byte) (*xmltree.Node, error) {
	return xmltree.Parse(data, xmltree.Options{MaxDepth: maxDepth, DropBlank: true})
}
