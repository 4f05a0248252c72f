-- Issue 18: the window's badges count overdue requests of each direction.
-- The open requests' deadline index had no direction, so each open request
-- was read from the table to check it (24 ms at 1,000,000 requests with
-- 12,000 open); with the direction in the index the count reads only it.
CREATE INDEX requests_open_dir_due ON requests(direction, due_on) WHERE is_open = 1;
