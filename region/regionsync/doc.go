// Package regionsync is the workstation's way to the regional server and
// what both sides share: the sync protocol's types and their validation,
// the Client and the background Syncer, the sync state kept in the journal
// (ReadState), the enrollment kit (LoadEnrollment), the identity in a
// workstation's certificate, and the signed updates (SignUpdate on the
// region, VerifyUpdate and Update.Apply on the workstation). It has no
// server and no PostgreSQL driver: the clerk's binary links it and not
// package region.
//
// # Identity
//
// A workstation holds a client certificate issued by the region's own
// certificate authority (ECDSA P-256, for the TLS channel only):
//
//	Subject.SerialNumber  the settlement's OKTMO (8 or 11 digits)
//	Subject.CommonName    the workstation's name (1..64 of [A-Za-z0-9._-])
//	Subject.Organization  the settlement's name (informative)
//
// IdentityOf reads it; the server trusts only certificates its CA issued
// and recorded.
//
// # Protocol (HTTPS, JSON, client certificate required)
//
//	GET  /api/v1/cursor   → {"stored": N}  the last sequence durably stored
//	POST /api/v1/events   {"settlement","after","requests":[…],"events":[…]}
//	                      → 200 {"stored": N}
//	                      → 409 {"code":"gap","expected": N} when after is not
//	                        what the server holds (a lost or reordered batch)
//	                      → 400 invalid input, 403 identity, 429 + Retry-After
//	GET  /api/v1/updates?after=ID → [{"id","kind","name","data","size"}…]
//	                      signed updates, oldest first, 20 at a time: kinds
//	                      template, calendar, trust (TSL.xml) and crl; a file
//	                      over MaxUpdateBytes is listed without data
//	GET  /api/v1/updates/{id} → that update's signed file as it is (a TSL or
//	                      CRL of tens of MiB; 30 minutes to send it)
//
// Every request carries the header Mezhved-Contour (HeaderContour): the
// contour the workstation works in, "production", "test" or "training"
// (JournalContour reads it from the journal at each sync). The region
// leaves test and training workstations out of its figures. A header, not
// a field: older servers decode batches strictly and ignore headers, and an
// older workstation sends none (taken as production).
//
// Sequences are the journal's own event seq (they only grow; gaps are
// allowed, ordering is what counts). A batch is written in one transaction:
// all of it or nothing. Events at or below the stored sequence are replays
// and change nothing, so a batch sent twice, or resent after a break, is
// harmless. By default only metadata leaves the settlement: template,
// provider, direction, channel, dates, statuses and deadlines; applicants'
// names and СНИЛС travel only when the workstation's setting sync.personal
// is "1", and the clerk's free-text notes and names never do (the actor is
// reduced to "clerk" / "outbox" / "smev" / "system").
//
// # Updates
//
// The region signs what it sends down with its GOST key (SignUpdate); the
// workstation checks the signature against the certificate pinned at
// enrollment (VerifyUpdate) and applies the file (Update.Apply): a template,
// a production calendar year, the Ministry's list of accredited CAs (into
// the trust store with trust.Store.ImportTSL; an older Версия than the one
// in force is refused and the list in force stays) or a CRL for offline
// workstations (trust.Store.AddCRL; one whose issuer the store does not
// know is refused). A list or CRL is checked before it is signed. A refused
// update is reported in the sync's Result and the sync goes on; an update
// whose file did not arrive stops the sync and is fetched again next time.
package regionsync
