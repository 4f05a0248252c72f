-- The regional server's schema (PostgreSQL). Times are UTC text
-- 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (sortable), civil dates 'YYYY-MM-DD', the
-- same as the SQLite schema, so every query is shared.

CREATE TABLE settlements (
    oktmo      TEXT PRIMARY KEY CHECK (oktmo ~ '^([0-9]{8}|[0-9]{11})$'),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Every client certificate the region issued, by serial number (hex).
CREATE TABLE workstations (
    serial     TEXT PRIMARY KEY,
    oktmo      TEXT NOT NULL REFERENCES settlements(oktmo),
    name       TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    revoked_at TEXT
);

-- One append-only stream per workstation: the last sequence stored.
CREATE TABLE streams (
    oktmo       TEXT NOT NULL REFERENCES settlements(oktmo),
    workstation TEXT NOT NULL,
    stored      BIGINT NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (oktmo, workstation)
);

CREATE TABLE events (
    oktmo       TEXT NOT NULL,
    workstation TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    request_id  BIGINT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    PRIMARY KEY (oktmo, workstation, seq)
);

-- The current state of every request, derived from its events.
CREATE TABLE requests (
    oktmo          TEXT NOT NULL,
    workstation    TEXT NOT NULL,
    request_id     BIGINT NOT NULL,
    direction      TEXT NOT NULL,
    template_id    TEXT NOT NULL,
    template_title TEXT NOT NULL,
    provider       TEXT NOT NULL,
    provider_code  TEXT NOT NULL,
    channel        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    due_on         TEXT,
    status         TEXT NOT NULL,
    sent_at        TEXT,
    answered_at    TEXT,
    applicant      TEXT NOT NULL DEFAULT '',
    snils          TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (oktmo, workstation, request_id)
);

CREATE INDEX requests_sent ON requests (oktmo, sent_at);

CREATE TABLE users (
    login         TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    login      TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- Signed template and calendar updates for the workstations.
CREATE TABLE updates (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    data       BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
