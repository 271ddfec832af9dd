-- warcpairs schema version 3: what `score` made of each image–description pair. A version-2
-- database is migrated by running this file (docs/storage.md).

-- One row per scored pair. Pairs from the database carry image_id; pairs from a URL list
-- (score --pairs FILE) carry list_row instead. Unknown numbers are NULL.
CREATE TABLE scores (
  image_id     INTEGER REFERENCES images(image_id),
  list_row     INTEGER,
  url          TEXT NOT NULL,
  caption      TEXT NOT NULL,   -- the description scored: the prediction, else the alt text
  alt          TEXT NOT NULL,
  outcome      TEXT NOT NULL,   -- "ok" or why not: a stable reason token
  detail       TEXT NOT NULL,
  http_status  INTEGER,
  attempts     INTEGER NOT NULL,
  bytes        INTEGER,
  mime         TEXT,
  width        INTEGER,         -- original size of the image
  height       INTEGER,
  sha256       TEXT,
  phash        INTEGER,         -- 64-bit DCT perceptual hash
  noai         INTEGER NOT NULL,-- X-Robots-Tag noai/noimageai was sent
  clip_caption REAL,            -- cosine similarity of the image with `caption`
  clip_alt     REAL,            -- ... with `alt`
  clip_model   TEXT,
  key          TEXT,            -- WebDataset sample key in RUN/images/<tar>
  tar          TEXT
);
CREATE UNIQUE INDEX scores_image ON scores(image_id) WHERE image_id IS NOT NULL;
CREATE UNIQUE INDEX scores_list_row ON scores(list_row) WHERE list_row IS NOT NULL;
