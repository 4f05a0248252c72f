-- The clerk's journal: requests both ways, their replies, status history,
-- attachments, deadlines and settings. Dates are ISO strings: times in UTC
-- RFC 3339 ('2026-11-22T10:00:00Z'), civil dates 'YYYY-MM-DD'.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- An applicant's case for one municipal service; its requests share the
-- applicant's data.
CREATE TABLE applications (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL DEFAULT '',
    service       TEXT NOT NULL DEFAULT '',
    applicant     TEXT NOT NULL DEFAULT '',
    data_json     TEXT NOT NULL DEFAULT '{}',
    registered_on TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE requests (
    id             INTEGER PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    message_id     TEXT UNIQUE,
    number         TEXT NOT NULL DEFAULT '',
    application_id INTEGER REFERENCES applications(id) ON DELETE RESTRICT,
    template_id    TEXT NOT NULL DEFAULT '',
    template_title TEXT NOT NULL DEFAULT '',
    provider       TEXT NOT NULL DEFAULT '',
    provider_code  TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL CHECK (channel IN ('smev', 'fax', 'post')),
    status         TEXT NOT NULL,
    is_open        INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    applicant      TEXT NOT NULL DEFAULT '',
    snils          TEXT NOT NULL DEFAULT '',
    fields_json    TEXT NOT NULL DEFAULT '{}',
    body           BLOB,
    envelope       BLOB,
    created_at     TEXT NOT NULL,
    sent_at        TEXT,
    due_on         TEXT,
    answered_at    TEXT,
    updated_at     TEXT NOT NULL,
    last_error     TEXT NOT NULL DEFAULT ''
) STRICT;

-- The journal lists by deadline with requests without one (drafts) last:
-- the expression indexes serve ORDER BY due_on IS NULL, due_on, id as is.
CREATE INDEX requests_status_due ON requests(status, due_on IS NULL, due_on, id);
CREATE INDEX requests_due ON requests(due_on IS NULL, due_on, id);
CREATE INDEX requests_created ON requests(created_at, id);
CREATE INDEX requests_open_due ON requests(due_on) WHERE is_open = 1;
CREATE INDEX requests_snils ON requests(snils) WHERE snils <> '';

-- The journal search: every word of a request (applicant, СНИЛС with and
-- without punctuation, provider, template, numbers), folded to lower case
-- with ё as е by Go (SQLite folds only ASCII). A query word matches by
-- prefix through the primary key, so a search never scans the journal.
CREATE TABLE search_words (
    word       TEXT NOT NULL,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    PRIMARY KEY (word, request_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX search_words_request ON search_words(request_id);

-- Every change of status: the history the clerk sees and the stream the
-- region receives. seq only grows.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status  TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX events_request ON events(request_id, seq);

-- Answers to our requests and our answers to incoming ones.
CREATE TABLE replies (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    message_id     TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('response', 'reject', 'status', 'fault')),
    reject_code    TEXT NOT NULL DEFAULT '',
    received_at    TEXT NOT NULL,
    body           BLOB,
    envelope       BLOB,
    signature_json TEXT NOT NULL DEFAULT '',
    acked_at       TEXT
) STRICT;

CREATE INDEX replies_request ON replies(request_id);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
    reply_id   INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mime_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    content    BLOB NOT NULL,
    signature  BLOB,
    CHECK ((request_id IS NULL) <> (reply_id IS NULL))
) STRICT;

-- Deadlines set on a request: when it must be sent (2 working days after the
-- application) and when the answer is due. requests.due_on mirrors the
-- current answer deadline for fast listing; both are written in one
-- transaction.
CREATE TABLE deadlines (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('send', 'answer')),
    from_on    TEXT NOT NULL,
    days       INTEGER NOT NULL CHECK (days >= 0),
    due_on     TEXT NOT NULL,
    met_at     TEXT,
    UNIQUE (request_id, kind)
) STRICT;
