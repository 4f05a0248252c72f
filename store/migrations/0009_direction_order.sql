-- Issue 18: the window always shows one direction. Incoming requests are a
-- small share of a settlement's journal, so walking the deadline index and
-- skipping every outgoing request to fill a page of incoming ones read the
-- whole journal (0.8 s at 1,000,000 requests). With the direction first, a
-- page of a rare direction is read from these indexes alone (see
-- store.pageOf, which chooses them when the direction is rare).
CREATE INDEX requests_dir_due ON requests(direction, due_on IS NULL, due_on, id);
CREATE INDEX requests_dir_created ON requests(direction, created_at, id);
