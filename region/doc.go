// Package region is the regional server of Mezhved: it receives every
// settlement's journal as a stream of events over the sync protocol of
// package regionsync, keeps it (PostgreSQL through pgx, or an SQLite file
// for a small region or a demo), serves the signed updates the region
// publishes, and shows the read-only dashboard to region staff. The
// workstation's side (the client, the Syncer, enrollment, verifying and
// applying updates) is package region/regionsync, which the clerk's binary
// links instead of this one; the types both sides use live there.
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
// # Protocol
//
// The API (GET /api/v1/cursor, POST /api/v1/events, GET /api/v1/updates)
// is described in package regionsync. The server writes a batch in one
// transaction: all of it or nothing; events at or below the stored
// sequence are replays and change nothing; a batch that does not follow
// is refused with 409 and the expected sequence.
//
// # Updates
//
// The region signs what it sends down with its GOST key
// (regionsync.SignUpdate, which checks a list of accredited CAs or a CRL
// before signing it); Store.AddUpdate verifies the signature before it
// stores the file, so that a wrongly signed one never goes down. A file
// over regionsync.MaxUpdateBytes is listed without data and sent by itself.
//
// # Dashboard
//
// Staff sign in with a password; the session cookie is HttpOnly, Secure
// and SameSite=Strict. Every state-changing form (POST /login, /logout) is
// refused with 403 when a browser says it was sent from another site
// (Sec-Fetch-Site, Origin), before the password is checked. Every answer
// over TLS carries Strict-Transport-Security (a year).
package region
