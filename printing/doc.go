// Package printing renders Mezhved's paper documents as PDF on A4: the
// printout of a reply received through SMEV 3 (with the visual mark of its
// electronic signature per ГОСТ Р 7.0.97-2016 and its PDF attachments as
// pages), the registers of outgoing and incoming requests, the overdue list
// and the quarterly statistics.
//
// Pages are drawn with github.com/signintech/gopdf in Liberation Serif
// (embedded, SIL OFL 1.1); PDF attachments are appended with
// github.com/pdfcpu/pdfcpu, one by one, each checked.
//
// The package takes plain data and knows nothing of the journal. Every
// document is laid out first into a list of pages (so that «Стр. N из M» and
// the place of the signature mark are known), rendered to memory, and only
// then written: on error nothing reaches the writer. Errors are *domain.Error
// with a Russian message for the clerk.
//
// Coordinates in results are PDF points (1/72 inch) from the top-left corner
// of the page, the same as `pdftotext -bbox-layout` reports.
package printing
