-- warcpairs schema version 4: what people decided on the review page (`warcpairs review`).
-- A version-3 database is migrated by running this file (docs/storage.md).

-- One row per decision, appended, never updated or deleted: the log of who decided what and
-- when. The machine's output (images.alt, predictions, scores) is never changed; a pair's
-- current decision is its row with the highest decision_id (view review_current), and
-- `export` applies it. action: accept (text = the description accepted, as shown), reject,
-- edit (text = the reviewer's description), reset (back to undecided; text NULL).
CREATE TABLE review_decisions (
  decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id    INTEGER NOT NULL REFERENCES images(image_id),
  action      TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'reset')),
  text        TEXT,
  machine_text TEXT NOT NULL,   -- the machine's description when the decision was made
  reviewer    TEXT NOT NULL,
  decided_at  TEXT NOT NULL,    -- UTC, ISO 8601 with milliseconds
  replaces    INTEGER REFERENCES review_decisions(decision_id)  -- the current decision it replaced
);
CREATE INDEX review_decisions_image ON review_decisions(image_id, decision_id);

-- The decision in force per image (reset rows mean "undecided" and are left out).
CREATE VIEW review_current AS
  SELECT d.* FROM review_decisions d
  WHERE d.decision_id = (SELECT max(x.decision_id) FROM review_decisions x WHERE x.image_id = d.image_id)
    AND d.action <> 'reset';
