-- warcpairs canonical database, schema version 1 (PRAGMA user_version; docs/storage.md);
-- schema_v2.sql adds to it.
-- Embedded in the binary at build time. Canonical tables carry no timestamps, so the ordered
-- dump of two runs over the same inputs is identical.

-- The ledger of merged shards: a shard named here is never merged again.
CREATE TABLE shards (
  name   TEXT PRIMARY KEY,        -- file name of the shard (not its path)
  stage  TEXT NOT NULL,           -- the stage that wrote it ("extract", ...)
  files  INTEGER NOT NULL,
  pages  INTEGER NOT NULL,
  images INTEGER NOT NULL,
  skips  INTEGER NOT NULL
);

-- One row per input WARC file, whatever became of it.
CREATE TABLE files (
  file_id INTEGER PRIMARY KEY,
  path    TEXT NOT NULL UNIQUE,   -- canonical absolute path
  size    INTEGER NOT NULL,       -- bytes
  status  TEXT NOT NULL,          -- ok | partial | unreadable
  records INTEGER NOT NULL,
  pages   INTEGER NOT NULL,
  images  INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  error   TEXT NOT NULL DEFAULT ''
);

-- One row per HTML page.
CREATE TABLE pages (
  page_id      INTEGER PRIMARY KEY,
  file_id      INTEGER NOT NULL REFERENCES files(file_id),
  warc_offset  INTEGER NOT NULL,  -- byte offset of the record (gzip: member start)
  member_offset INTEGER NOT NULL, -- offset in the member's decoded bytes (whole-file gzip; else 0)
  record_id    TEXT NOT NULL,     -- WARC-Record-ID
  url          TEXT NOT NULL,     -- WARC-Target-URI
  crawl_date   TEXT NOT NULL,     -- WARC-Date (ISO 8601)
  http_status  INTEGER NOT NULL,  -- 0 for resource records
  content_type TEXT NOT NULL,
  charset      TEXT NOT NULL,
  language     TEXT NOT NULL,
  title        TEXT NOT NULL,
  image_count  INTEGER NOT NULL,
  UNIQUE (file_id, warc_offset, member_offset)
);

-- One row per image occurrence. Offsets into `context` count Unicode code points.
CREATE TABLE images (
  image_id    INTEGER PRIMARY KEY,
  page_id     INTEGER NOT NULL REFERENCES pages(page_id),
  idx         INTEGER NOT NULL,   -- position among the page's stored images
  url         TEXT NOT NULL,      -- resolved absolute image URL
  src         TEXT NOT NULL,
  srcset      TEXT NOT NULL,
  alt         TEXT NOT NULL,
  has_alt     INTEGER NOT NULL,   -- 0/1: alt attribute present
  title       TEXT NOT NULL,
  width       INTEGER,            -- NULL when absent or not a number
  height      INTEGER,
  figcaption  TEXT NOT NULL,
  dom_path    TEXT NOT NULL,
  context     TEXT NOT NULL,
  image_pos   INTEGER NOT NULL,   -- where the image stands in context
  label_start INTEGER,            -- span of the alt text in context; NULL when none
  label_end   INTEGER
);

-- Skipped records, with the stable reason token.
CREATE TABLE skips (
  file_id     INTEGER NOT NULL REFERENCES files(file_id),
  warc_offset INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  detail      TEXT NOT NULL
);

-- No secondary indexes on images: maintaining them row by row was most of the merge's cost
-- (docs/storage.md). A stage that needs one creates it after merging, e.g.
--   CREATE INDEX IF NOT EXISTS images_url ON images(url);
-- (one sort of the finished table is far cheaper than keeping the index in order per insert).
