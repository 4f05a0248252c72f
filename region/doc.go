// Package region is the regional side of Mezhved and the workstation's way
// to it: the server that receives every settlement's journal as a stream of
// events, its storage (PostgreSQL through pgx, or an SQLite file for a small
// region or a demo), the sync protocol and its client, signed updates sent
// down to the workstations, and the read-only dashboard for region staff.
//
// # Identity
//
// The region runs its own certificate authority (ECDSA P-256, for the TLS
// channel only). A workstation holds a client certificate issued by it:
//
//	Subject.SerialNumber  the settlement's OKTMO (8 or 11 digits)
//	Subject.CommonName    the workstation's name (1..64 of [A-Za-z0-9._-])
//	Subject.Organization  the settlement's name (informative)
//
// The server trusts only its CA, and then only certificates it issued and
// recorded (the workstations table, by serial number); a revoked or unknown
// serial is refused with 403, a certificate of another CA fails the TLS
// handshake. A batch naming another settlement than the certificate's is
// refused with 403.
//
// # Protocol (HTTPS, JSON, client certificate required)
//
//	GET  /api/v1/cursor   → {"stored": N}  the last sequence durably stored
//	POST /api/v1/events   {"settlement","after","requests":[…],"events":[…]}
//	                      → 200 {"stored": N}
//	                      → 409 {"code":"gap","expected": N} when after is not
//	                        what the server holds (a lost or reordered batch)
//	                      → 400 invalid input, 403 identity, 429 + Retry-After
//	GET  /api/v1/updates?after=ID → signed template and calendar updates
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
package region
