-- The road a request took through SMEV: 'direct' (SMEV 3 itself) or
-- 'adapter' (the region's SMEV 3 adapter, which signs ЭП-ОВ and keeps the
-- queues); '' for a request that never went through SMEV (a draft, paper).
-- The outbox row says which channel sends it: a worker takes only its own
-- channel's rows, so a journal switched from one channel to the other keeps
-- the messages the other one still owes.

ALTER TABLE requests ADD COLUMN via TEXT NOT NULL DEFAULT '' CHECK (via IN ('', 'direct', 'adapter'));
ALTER TABLE outbox ADD COLUMN via TEXT NOT NULL DEFAULT 'direct' CHECK (via IN ('direct', 'adapter'));

UPDATE requests SET via = 'direct'
 WHERE id IN (SELECT request_id FROM outbox) OR id IN (SELECT request_id FROM smev_incoming);

CREATE INDEX outbox_due_via ON outbox(via, next_attempt_at, id) WHERE state = 'pending';
