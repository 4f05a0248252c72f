-- Deadlines that could not be computed yet: the term runs into a year the
-- production calendar lacks (a request sent in late December before the
-- next year's calendar arrived). The request is sent all the same; the
-- deadline is computed the moment the calendar arrives
-- (DB.ResolvePendingDeadlines), and this row goes. requests.due_missing_year
-- mirrors the missing year of the answer deadline for the journal's lists.
CREATE TABLE deadlines_pending (
    request_id   INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('send', 'answer')),
    from_on      TEXT NOT NULL,
    days         INTEGER NOT NULL CHECK (days > 0),
    missing_year INTEGER NOT NULL CHECK (missing_year > 0),
    PRIMARY KEY (request_id, kind)
) STRICT;

ALTER TABLE requests ADD COLUMN due_missing_year INTEGER NOT NULL DEFAULT 0;
