"""Checks of e2e.language: CLD2's detected languages on the real pages of warc-real against
the languages the pages declare (<html lang>), the contexts, analyze's summary and export's
--languages. Prints the agreement rate; fails below the floors.
Usage: check_languages.py RUN REPORT_DIR EXPORT_DIR"""
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

# Measured on this data when the test was written: 97.4 % (873 of 896 pages that declare a
# language and have one detected; most of the rest declare "en" on German pages).
AGREEMENT_FLOOR = 0.95


def primary(tag):
    return tag.replace("_", "-").split("-")[0].lower()


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


run, report, export = map(Path, sys.argv[1:4])
db = sqlite3.connect(run / "warcpairs.sqlite")
pages = db.execute("SELECT language, text_language, text_language_reliable FROM pages").fetchall()
both = [(primary(d), primary(t)) for d, t, _ in pages if d and t]
agree = sum(d == t for d, t in both)
rate = agree / len(both)
detected = Counter(primary(t) for _, t, _ in pages if t)
print(f"pages: {len(pages)}; declared and detected: {len(both)}; agree: {agree} ({rate:.1%}); "
      f"detected: {dict(detected.most_common(8))}")
print("disagreements (declared -> detected):",
      dict(Counter(f"{d}->{t}" for d, t in both if d != t).most_common(10)))
if len(pages) != 990:
    fail(f"expected the 990 pages of warc-real, got {len(pages)}")
if len(both) < 850:
    fail(f"only {len(both)} pages have both a declared and a detected language")
if rate < AGREEMENT_FLOOR:
    fail(f"agreement {rate:.3f} with <html lang> is below the floor {AGREEMENT_FLOOR}")
for lang in ("en", "de", "pl", "fr"):  # the languages SOURCES.md names
    if detected[lang] < 10:
        fail(f"fewer than 10 pages detected as {lang}: {detected[lang]}")
reliable = sum(r for _, t, r in pages if t)
if reliable < 0.9 * sum(detected.values()):
    fail(f"only {reliable} of {sum(detected.values())} detections reliable")

# Contexts: detected where there is text; mostly the page's own language.
ctx = db.execute("SELECT i.context_language, p.text_language FROM images i JOIN pages p USING (page_id) "
                 "WHERE i.context <> ''").fetchall()
with_lang = [(c, t) for c, t in ctx if c]
if len(with_lang) < 0.95 * len(ctx):
    fail(f"only {len(with_lang)} of {len(ctx)} contexts have a detected language")
same = sum(primary(c) == primary(t) for c, t in with_lang)
print(f"contexts: {len(ctx)}; with a language: {len(with_lang)}; same as their page: {same / len(with_lang):.1%}")
if same < 0.9 * len(with_lang):
    fail("fewer than 90 % of contexts share their page's language")
if db.execute("SELECT count(*) FROM images WHERE context = '' AND context_language <> ''").fetchone()[0]:
    fail("an image without context has a context language")

# analyze: the same numbers.
summary = json.loads((report / "summary.json").read_text())
agreement = summary["language_agreement"]
if agreement.get("agree") != agree or agreement.get("declared_and_detected") != len(both):
    fail(f"analyze's language_agreement {agreement} != {agree} of {len(both)}")
if summary["detected_languages"].get("de") != db.execute(
        "SELECT count(*) FROM pages WHERE text_language = 'de'").fetchone()[0]:
    fail(f"analyze's detected_languages disagree with the database: {summary['detected_languages']}")
if not summary["plots"]["detected_languages"]["drawn"]:
    fail("analyze drew no detected_languages plot")
if "detected-languages" not in (report / "index.html").read_text():
    fail("the report has no detected-languages section")

# export --languages pl: every pair kept is Polish by detection, and some are.
rows = [json.loads(line) for f in sorted(export.glob("**/*.jsonl")) for line in f.read_text().splitlines()]
if not rows:
    fail("export --languages pl kept no pair")
bad = [r for r in rows if primary(r["detected_language"] or r["language"]) != "pl"]
if bad:
    fail(f"{len(bad)} exported pairs are not Polish: {bad[:2]}")
declared_other = sum(primary(r["language"]) != "pl" for r in rows)
print(f"export --languages pl: {len(rows)} pairs ({declared_other} of them on pages declaring another language)")
print(f"language agreement with <html lang>: {rate:.1%} ({agree}/{len(both)})")
