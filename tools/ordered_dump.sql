-- The ordered dump of a warcpairs database: every row of every canonical table, ordered by
-- its natural key (file path, record offset, image index), with the surrogate ids replaced
-- by those keys. Two databases of the same run have the same ordered dump even when their
-- shards were merged at different times (ids are assigned in merge order) or a stop signal
-- cut a file's shards at other places: the `shards` ledger, which records how the rows
-- arrived rather than what they are, is left out.
-- Usage: sqlite3 -readonly RUN/warcpairs.sqlite < tools/ordered_dump.sql
.mode quote
.headers off
SELECT 'user_version', * FROM pragma_user_version;
SELECT 'file', path, size, status, records, pages, images, skipped, error FROM files ORDER BY path;
SELECT 'page', f.path, p.warc_offset, p.member_offset, p.record_id, p.url, p.crawl_date,
       p.http_status, p.content_type, p.charset, p.language, p.title, p.image_count
FROM pages p JOIN files f USING (file_id)
ORDER BY f.path, p.warc_offset, p.member_offset;
SELECT 'image', f.path, p.warc_offset, p.member_offset, i.idx, i.url, i.src, i.srcset, i.alt,
       i.has_alt, i.title, i.width, i.height, i.figcaption, i.dom_path, i.context, i.image_pos,
       i.label_start, i.label_end
FROM images i JOIN pages p USING (page_id) JOIN files f USING (file_id)
ORDER BY f.path, p.warc_offset, p.member_offset, i.idx;
SELECT 'skip', f.path, s.warc_offset, s.reason, s.detail
FROM skips s JOIN files f USING (file_id)
ORDER BY f.path, s.warc_offset, s.reason, s.detail;
