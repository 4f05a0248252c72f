-- The contour a workstation reports (regionsync.HeaderContour): '' from a
-- workstation that reports none (counted as production), 'production',
-- 'test' or 'training'; requests of test and training workstations are not
-- counted in the region's figures. seen_at is the last time the server
-- heard from the workstation (every sync asks for the cursor first), so
-- that a settlement syncing without new events is not taken for silent.

ALTER TABLE streams ADD COLUMN contour TEXT NOT NULL DEFAULT '';
ALTER TABLE streams ADD COLUMN seen_at TEXT;
UPDATE streams SET seen_at = updated_at WHERE stored > 0;
ALTER TABLE requests ADD COLUMN contour TEXT NOT NULL DEFAULT '';

-- Incoming requests are counted by the day they were received.
CREATE INDEX requests_created ON requests (oktmo, created_at);
