-- Answers outside SMEV and the settlement's own answers. A reply may come
-- (or go) on paper: by post or courier, or by fax, with the letter's number
-- and date, and its scan as an attachment. ours = 1 marks the settlement's
-- answer to an incoming request: through SMEV (its message_id is the outbox
-- message's; until the outbox has it, 'intent:…'), or on paper. text is a
-- refusal's explanation or a note on the answer. All are acknowledged by
-- nature: acked_at is set when they are written.

ALTER TABLE replies ADD COLUMN channel TEXT NOT NULL DEFAULT 'smev' CHECK (channel IN ('smev', 'fax', 'post'));
ALTER TABLE replies ADD COLUMN ours INTEGER NOT NULL DEFAULT 0 CHECK (ours IN (0, 1));
ALTER TABLE replies ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN dated TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN text TEXT NOT NULL DEFAULT '';
