-- warcpairs schema version 2: span predictions. A version-1 database is migrated by running
-- this file; a new database gets schema.sql and then this (docs/storage.md).

-- One row per image and model version. span_start/span_end count code points of the image's
-- context, [start, end); NULL for "no span" (then text is '').
CREATE TABLE predictions (
  image_id   INTEGER NOT NULL REFERENCES images(image_id),
  model      TEXT NOT NULL,       -- model version: fnv1a64 of the checkpoint's model.safetensors
  span_start INTEGER,
  span_end   INTEGER,
  text       TEXT NOT NULL,
  score      REAL NOT NULL,       -- best span's logit sum minus the "no span" logit sum
  PRIMARY KEY (image_id, model)
) WITHOUT ROWID;
