-- warcpairs schema version 8: detected languages (CLD2), page opt-outs (<meta name="robots">)
-- and the unsafe-image score. A version-7 database is migrated by running this file
-- (docs/storage.md); its rows were made before these existed: languages stay '' (unknown),
-- robots '' (none recorded), unsafe NULL (not scored).

-- text_language: CLD2's code for the page's visible text (text/language.h), '' unknown;
-- _reliable: CLD2's is_reliable (0/1); _percent: share of the text's letters in it.
ALTER TABLE pages ADD COLUMN text_language TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN text_language_reliable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN text_language_percent INTEGER NOT NULL DEFAULT 0;
-- robots: the page's <meta name="robots"> directives, lower case, ','-joined ('' none).
ALTER TABLE pages ADD COLUMN robots TEXT NOT NULL DEFAULT '';
-- context_language: CLD2's code for images.context ('' unknown or no context).
ALTER TABLE images ADD COLUMN context_language TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN context_language_reliable INTEGER NOT NULL DEFAULT 0;
-- language: CLD2's code for predictions.text, computed by merge ('' unknown or no span).
ALTER TABLE predictions ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE predictions ADD COLUMN language_reliable INTEGER NOT NULL DEFAULT 0;
-- unsafe: zero-shot CLIP probability mass on the unsafe prompts (score --unsafe-prompts,
-- README "Unsafe-image score"), in [0, 1]; NULL when not scored.
ALTER TABLE scores ADD COLUMN unsafe REAL;
