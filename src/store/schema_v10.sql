-- warcpairs schema version 10: search (`warcpairs search`, docs/storage.md "Embeddings store").
-- A version-9 database is migrated by running this file; it adds empty tables (images scored
-- before version 10 have no kept embedding: `score --clip` on a new run keeps them).

-- The CLIP image embeddings are not in SQLite: merge writes each score shard's embeddings to
-- RUN/embeddings/<file> (float16, rows × dim, L2-normalised) and their image ids to
-- RUN/embeddings/<file minus .npy>.ids.npy (int64), in the transaction that merges the shard.
-- Only the files named here are part of the store: one a killed merge left behind is not,
-- and is written again by the merge that takes its shard.
CREATE TABLE IF NOT EXISTS embedding_parts (
  part_id    INTEGER PRIMARY KEY,
  file       TEXT NOT NULL UNIQUE,
  shard      TEXT NOT NULL,          -- the score shard it came from (shards.name)
  rows       INTEGER NOT NULL,
  dim        INTEGER NOT NULL,
  clip_model TEXT NOT NULL
);
-- Where each image's embedding is: one row per image, the latest score revision's.
CREATE TABLE IF NOT EXISTS image_embeddings (
  image_id INTEGER PRIMARY KEY,
  part_id  INTEGER NOT NULL,
  row      INTEGER NOT NULL,
  revision INTEGER NOT NULL
);
-- Rows of parts that a re-score of the same image (a higher score revision) replaced: search
-- skips them, so every image is found at most once, with its latest embedding.
CREATE TABLE IF NOT EXISTS embeddings_superseded (
  part_id INTEGER NOT NULL,
  row     INTEGER NOT NULL,
  PRIMARY KEY (part_id, row)
) WITHOUT ROWID;

-- Full-text index over what describes an image: its alt text, title, figcaption and context
-- (the predicted description is a span of the context): the FTS5 table `image_text`
-- (contentless: the text stays in `images` only; rowid = image_id), created and filled on demand
-- by `search --match` (store/embedding_query.cc, update_text_index: a SQLite built without
-- FTS5 then gets a clear error there, not a database that cannot be opened) up to
-- image_text_state.indexed_upto, and caught up with the images later merges add (image ids
-- only grow), in one transaction each time.
CREATE TABLE IF NOT EXISTS image_text_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
);
INSERT OR IGNORE INTO image_text_state VALUES (1, 0);
