-- warcpairs schema version 11: renders of archived pages (`warcpairs render`): the pages, their
-- crops (PNG) and the box of every WordPiece token in each crop. A version-10 database is
-- migrated by running this file (docs/storage.md); it gains empty tables.

-- One row per WARC file rendered (the totals of its last render shard). Apart from `files`:
-- the same WARC file is usually extracted too.
CREATE TABLE IF NOT EXISTS render_files (
  render_file_id INTEGER PRIMARY KEY,
  path     TEXT NOT NULL UNIQUE,
  size     INTEGER NOT NULL,
  status   TEXT NOT NULL,
  pages    INTEGER NOT NULL,     -- HTML pages rendered
  crops    INTEGER NOT NULL,
  failed   INTEGER NOT NULL,     -- pages that gave no render (render_failures says why)
  error    TEXT NOT NULL
);

-- A page that gave no render, or a bad record, with the reason (`not_archived`, `timeout`,
-- `browser_crashed`, `navigation_failed`, `script_failed`, `protocol_error`, reader skips).
CREATE TABLE IF NOT EXISTS render_failures (
  render_file_id INTEGER NOT NULL REFERENCES render_files(render_file_id),
  warc_offset    INTEGER NOT NULL,
  reason         TEXT NOT NULL,
  detail         TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS render_pages (
  render_page_id INTEGER PRIMARY KEY,
  render_file_id INTEGER NOT NULL REFERENCES render_files(render_file_id),
  warc_offset    INTEGER NOT NULL,
  member_offset  INTEGER NOT NULL,
  url            TEXT NOT NULL,
  crawl_date     TEXT NOT NULL,
  http_status    INTEGER NOT NULL,
  text           TEXT NOT NULL,  -- the page text (text nodes joined by "\n"): char offsets index it
  tokens         INTEGER NOT NULL,
  visible_tokens INTEGER NOT NULL,
  crops          INTEGER NOT NULL,
  requests       INTEGER NOT NULL,  -- what the browser asked for ...
  fulfilled      INTEGER NOT NULL,  -- ... answered from the archive ...
  failed         INTEGER NOT NULL,  -- ... and failed at once (not archived); never the network
  seconds        REAL NOT NULL,
  browser        TEXT NOT NULL
);

-- One crop: region of the viewport (CSS px), how it was drawn, the PNG.
CREATE TABLE IF NOT EXISTS renders (
  render_id      INTEGER PRIMARY KEY,
  render_page_id INTEGER NOT NULL REFERENCES render_pages(render_page_id),
  crop           INTEGER NOT NULL,
  x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL, height REAL NOT NULL,
  viewport_width      INTEGER NOT NULL,
  viewport_height     INTEGER NOT NULL,
  device_scale_factor REAL NOT NULL,
  fonts          TEXT NOT NULL,   -- JSON array of computed font-family values
  png            BLOB NOT NULL,
  tokens         INTEGER NOT NULL,
  visible_tokens INTEGER NOT NULL
);

-- One box of one token in a crop; coordinates relative to the crop's top left (CSS px).
CREATE TABLE IF NOT EXISTS render_tokens (
  render_id  INTEGER NOT NULL REFERENCES renders(render_id),
  position   INTEGER NOT NULL,   -- the token's index on its page
  box        INTEGER NOT NULL,   -- 0, 1, ... for a token broken across lines
  token_id   INTEGER NOT NULL,
  token      TEXT NOT NULL,
  char_start INTEGER NOT NULL,
  char_end   INTEGER NOT NULL,
  x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL, height REAL NOT NULL,
  visible    INTEGER NOT NULL,
  hidden_by  TEXT NOT NULL,
  PRIMARY KEY (render_id, position, box)
) WITHOUT ROWID;
