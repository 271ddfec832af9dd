-- warcpairs schema version 9: review decisions on the pairs of `score --pairs` lists too.
-- A version-8 database is migrated by running this file (docs/storage.md).

-- review_decisions gets list_row: a decision is on a database pair (image_id) or on a list pair
-- (list_row, as in scores), never both. SQLite cannot drop a NOT NULL in place, so the table
-- is rebuilt with its rows, ids and sequence kept; the view and index are made again.
-- The new table's `replaces` points at itself (renamed with it), never at the old table: a
-- reference to rows dropped with the old table would fail the foreign-key check at COMMIT.
DROP VIEW review_current;
CREATE TABLE review_decisions_v9 (
  decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id    INTEGER REFERENCES images(image_id),
  list_row    INTEGER,
  action      TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'reset')),
  text        TEXT,
  machine_text TEXT NOT NULL,
  reviewer    TEXT NOT NULL,
  decided_at  TEXT NOT NULL,
  replaces    INTEGER REFERENCES review_decisions_v9(decision_id),
  CHECK ((image_id IS NULL) <> (list_row IS NULL))
);
INSERT INTO review_decisions_v9 (decision_id, image_id, list_row, action, text, machine_text, reviewer, decided_at, replaces)
  SELECT decision_id, image_id, NULL, action, text, machine_text, reviewer, decided_at, replaces FROM review_decisions;
DROP TABLE review_decisions;
ALTER TABLE review_decisions_v9 RENAME TO review_decisions;
CREATE INDEX review_decisions_image ON review_decisions(image_id, decision_id);
CREATE INDEX review_decisions_list ON review_decisions(list_row, decision_id) WHERE list_row IS NOT NULL;

-- The decision in force per pair (reset rows mean "undecided" and are left out).
CREATE VIEW review_current AS
  SELECT d.* FROM review_decisions d
  WHERE d.decision_id = (SELECT max(x.decision_id) FROM review_decisions x
                         WHERE x.image_id IS d.image_id AND x.list_row IS d.list_row)
    AND d.action <> 'reset';
