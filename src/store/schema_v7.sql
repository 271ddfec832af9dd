-- warcpairs schema version 7: image kinds (content, logo, icon, avatar, badge, ad, spacer,
-- chrome, placeholder, unknown). A version-6 database is migrated by running this file
-- (docs/storage.md); its images were extracted without kinds and stay 'unknown'.

-- kind, kind_reason: the page's evidence as extract decided it (html/image_kind.h).
ALTER TABLE images ADD COLUMN kind TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE images ADD COLUMN kind_reason TEXT NOT NULL DEFAULT 'extracted before image kinds';
-- host: the page URL's host, lower case (repetition is counted per host).
ALTER TABLE pages ADD COLUMN host TEXT NOT NULL DEFAULT '';
-- The same host as merge's text::url_host: the authority, without userinfo and port.
UPDATE pages SET host = lower(CASE WHEN instr(url, '://') = 0 THEN '' ELSE
    substr(substr(url, instr(url, '://') + 3), 1,
           instr(replace(replace(substr(url, instr(url, '://') + 3), '?', '/'), '#', '/') || '/', '/') - 1) END);
UPDATE pages SET host = substr(host, instr(host, '@') + 1) WHERE instr(host, '@') > 0;
UPDATE pages SET host = substr(host, 1, instr(host, ':') - 1)
  WHERE instr(host, ':') > 0 AND substr(host, 1, 1) <> '[';

-- Kept up to date by every merge, in the transaction of the shard that adds the pages:
-- on how many pages of a host an image URL occurs, and how many pages the host has.
CREATE TABLE image_repeats (
  host  TEXT NOT NULL,
  url   TEXT NOT NULL,
  pages INTEGER NOT NULL,
  PRIMARY KEY (host, url)
) WITHOUT ROWID;
CREATE TABLE host_pages (
  host  TEXT PRIMARY KEY,
  pages INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO host_pages SELECT host, count(*) FROM pages GROUP BY host;
INSERT INTO image_repeats
  SELECT p.host, i.url, count(DISTINCT i.page_id) FROM images i JOIN pages p USING (page_id)
  GROUP BY p.host, i.url;

-- The kind every later stage reads: the page's kind, unless the image is
--  * 'placeholder': its downloaded bytes (scores.sha256) were served for 5 or more distinct
--    URLs (error and "image not found" images; fewer are left to the duplicate cleaners), or
--  * 'chrome': content/unknown by its page, but the same URL is on 3 or more pages of its
--    host and on at least half of them (a site's furniture; a photo on a few listing pages
--    of a large site stays content).
-- Computed when read, so it is right after every merge: a merge that adds pages of a host
-- changes image_repeats and host_pages of that host, and with them the kinds of its images.
CREATE INDEX IF NOT EXISTS scores_sha256 ON scores(sha256);
-- Written flat (no subquery in FROM) so that SQLite flattens it into a reader's query that
-- joins it (inner JOIN: every image has its row) and looks each image up by image_id.
CREATE VIEW image_kinds AS
SELECT i.image_id AS image_id,
  CASE WHEN s.sha256 IS NOT NULL
            AND (SELECT count(DISTINCT x.url) FROM scores x WHERE x.sha256 = s.sha256) >= 5
         THEN 'placeholder'
       WHEN i.kind IN ('content', 'unknown') AND r.pages >= 3 AND 2 * r.pages >= h.pages
         THEN 'chrome'
       ELSE i.kind END AS kind,
  CASE WHEN s.sha256 IS NOT NULL
            AND (SELECT count(DISTINCT x.url) FROM scores x WHERE x.sha256 = s.sha256) >= 5
         THEN 'same bytes:' ||
              (SELECT count(DISTINCT x.url) FROM scores x WHERE x.sha256 = s.sha256) || ' urls'
       WHEN i.kind IN ('content', 'unknown') AND r.pages >= 3 AND 2 * r.pages >= h.pages
         THEN 'repeated:' || r.pages || ' of ' || h.pages || ' pages'
       ELSE i.kind_reason END AS kind_reason
FROM images i
JOIN pages p ON p.page_id = i.page_id
LEFT JOIN image_repeats r ON r.host = p.host AND r.url = i.url
LEFT JOIN host_pages h ON h.host = p.host
LEFT JOIN scores s ON s.image_id = i.image_id;
