-- warcpairs schema version 5: scores redone by later `score` runs (retries, CLIP added later).
-- A version-4 database is migrated by running this file (docs/storage.md).

-- tries: how many score runs downloaded this image (a rerun retries transient failures until
-- `--max-attempts`). revision: a row from a shard of a higher revision replaces this one at
-- merge (1: the first score of the image; a retry or CLIP added later writes revision + 1).
ALTER TABLE scores ADD COLUMN tries INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scores ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
