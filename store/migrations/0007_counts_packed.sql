-- Issue 18: the journal at realistic size.
--
-- 1. The signed envelope of a request was kept twice: in requests.envelope
--    and in its outbox row. Nothing read the first; it is now kept only in
--    the outbox (packed, see store/packed.go), and the copies go.
UPDATE requests SET envelope = NULL
 WHERE envelope IS NOT NULL AND message_id IN (SELECT message_id FROM outbox);

-- 2. How many requests there are of each direction, status, provider and
--    template, maintained by triggers in the transaction that changes a
--    request. The window's totals (no filter, or filters on these columns
--    only) are sums over a few hundred rows instead of count(*) over the
--    journal: their cost does not grow with it.
CREATE TABLE request_counts (
    direction   TEXT NOT NULL,
    status      TEXT NOT NULL,
    provider    TEXT NOT NULL,
    template_id TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (direction, status, provider, template_id)
) STRICT, WITHOUT ROWID;

INSERT INTO request_counts (direction, status, provider, template_id, n)
SELECT direction, status, provider, template_id, count(*) FROM requests
 GROUP BY direction, status, provider, template_id;

CREATE TRIGGER request_counts_insert AFTER INSERT ON requests BEGIN
    INSERT INTO request_counts (direction, status, provider, template_id, n)
    VALUES (NEW.direction, NEW.status, NEW.provider, NEW.template_id, 1)
    ON CONFLICT (direction, status, provider, template_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER request_counts_delete AFTER DELETE ON requests BEGIN
    UPDATE request_counts SET n = n - 1
     WHERE direction = OLD.direction AND status = OLD.status
       AND provider = OLD.provider AND template_id = OLD.template_id;
END;

CREATE TRIGGER request_counts_update AFTER UPDATE OF direction, status, provider, template_id ON requests
WHEN OLD.direction IS NOT NEW.direction OR OLD.status IS NOT NEW.status
  OR OLD.provider IS NOT NEW.provider OR OLD.template_id IS NOT NEW.template_id
BEGIN
    UPDATE request_counts SET n = n - 1
     WHERE direction = OLD.direction AND status = OLD.status
       AND provider = OLD.provider AND template_id = OLD.template_id;
    INSERT INTO request_counts (direction, status, provider, template_id, n)
    VALUES (NEW.direction, NEW.status, NEW.provider, NEW.template_id, 1)
    ON CONFLICT (direction, status, provider, template_id) DO UPDATE SET n = n + 1;
END;
