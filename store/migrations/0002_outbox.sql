-- The SMEV transport's durable outbox and the data an answer needs.
-- A message is committed here, signed, before its first send; the worker
-- sends it again with the same MessageID until SMEV has it.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('request', 'response')),
    message_id      TEXT NOT NULL UNIQUE,
    envelope        BLOB NOT NULL,
    content_type    TEXT NOT NULL DEFAULT '',   -- multipart/related when attachments travel as MTOM
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    term_days       INTEGER NOT NULL DEFAULT 0, -- answer term from the card, working days from sending
    created_at      TEXT NOT NULL,
    sent_at         TEXT
) STRICT;

CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_request ON outbox(request_id);

-- What SMEV told us about an incoming request: where the answer goes
-- (ReplyTo copied into SenderProvidedResponseData/To) and SMEV's id of it.
CREATE TABLE smev_incoming (
    request_id      INTEGER PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    reply_to        TEXT NOT NULL,
    smev_message_id TEXT NOT NULL UNIQUE,
    sender          TEXT NOT NULL DEFAULT '',
    received_at     TEXT NOT NULL
) STRICT;
