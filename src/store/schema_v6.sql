-- warcpairs schema version 6: main content (extract --context-from, --page-text).
-- A version-5 database is migrated by running this file (docs/storage.md).

-- region: where the image sits on its page: main, nav, header, footer, aside or other
-- (html/extractor.h); "" for images extracted before version 6.
ALTER TABLE images ADD COLUMN region TEXT NOT NULL DEFAULT '';
-- text: the page's main-content text (extract --page-text main) or all its visible text
-- (--page-text all), blocks one per line; "" when not asked for (the default).
ALTER TABLE pages ADD COLUMN text TEXT NOT NULL DEFAULT '';
