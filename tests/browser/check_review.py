#!/usr/bin/env python3
"""Uses the `warcpairs review` page in headless Chromium as a person would (through chromedriver's
WebDriver API, tests/browser/webdriver.py) and checks what the page shows:

1. opens the printed URL (token -> cookie -> page), waits for the grid; cards with a stored
   image show it decoded; the given strings (markup from the data) appear as text, and no
   element came from them (one <script>, ours; no on* attribute; no alert);
2. sets the reviewer name, accepts the first pair with the mouse, then with the keyboard edits
   the second (e, type, Enter) and rejects the third (r); each card shows its new state;
3. reloads the page: the three decisions are still there (they came back from the database);
4. filters to "rejected": exactly the rejected pair;
5. no console errors; screenshots saved.

Writes RESULT (JSON: the image ids accepted, edited and rejected, the text typed, the reviewer)
for the calling test to check against SQLite. Exit 0 when every check passes, 1 otherwise."""
import argparse, json, os, sys

from webdriver import add_browser_options, start

PROBE = """
const cards = [...document.querySelectorAll('article.pair')];
const imgs = [...document.querySelectorAll('article.pair .thumb img')];
const handlers = [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length;
return {cards: cards.map(c => ({id: Number(c.dataset.imageId), state: c.dataset.state,
                                desc: c.querySelector('.desc .text').textContent,
                                marks: [...c.querySelectorAll('.context mark')].map(m => m.textContent),
                                bold: c.querySelectorAll('.body b, .body img').length})),
        images: imgs.length, decoded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
        scripts: document.querySelectorAll('script').length, handlers,
        counts: document.getElementById('counts').textContent,
        text: document.body.innerText};
"""
READY = "return document.body.dataset.ready === '1'"
CARD_STATE = "const c = document.querySelector(`article.pair[data-image-id=\"${arguments[0]}\"]`); return c && c.dataset.state === arguments[1];"
ENTER = "\ue007"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="the URL `warcpairs review` printed (with ?token=)")
    ap.add_argument("--out", required=True, help="folder for screenshots, page.json, chromedriver.log")
    ap.add_argument("--result", required=True, help="JSON of what was decided, for the caller")
    ap.add_argument("--edit-text", required=True)
    ap.add_argument("--reviewer", required=True)
    ap.add_argument("--text", action="append", default=[], help="must appear in the page text")
    ap.add_argument("--min-images", type=int, default=1)
    ap.add_argument("--span", action="append", default=[], help="ID:TEXT: card ID highlights TEXT as the predicted span")
    add_browser_options(ap)
    a = ap.parse_args()
    failures, result = [], {}
    check = lambda ok, what: ok or failures.append(what)
    wd = start(a, a.out)
    try:
        wd.s("POST", "/url", {"url": a.url})
        wd.wait(READY, "the grid")
        check(wd.run("return location.search") == "", "the token stayed in the address bar")
        check(wd.alert_text() is None, "an alert opened: injected script ran")
        wd.wait("return [...document.querySelectorAll('.thumb img')].every(i => i.complete)", "images")
        page = wd.run(PROBE)
        wd.screenshot(os.path.join(a.out, "grid.png"))
        check(len(page["cards"]) >= 3, f"{len(page['cards'])} cards, expected at least 3")
        check(page["decoded"] >= a.min_images, f"{page['decoded']} of {page['images']} images decoded, expected >= {a.min_images}")
        check(page["scripts"] == 1, f"{page['scripts']} <script> elements (the page has one)")
        check(page["handlers"] == 0, f"{page['handlers']} elements with on* attributes (injected markup)")
        check(all(c["state"] == "undecided" for c in page["cards"]), "cards decided before anyone decided")
        for t in a.text:
            check(t in page["text"], f"page text lacks {t!r}")
        for spec in a.span:
            image, text = spec.split(":", 1)
            card = next((c for c in page["cards"] if c["id"] == int(image)), None)
            check(card is not None and card["marks"] == [text], f"card {image} highlights {card and card['marks']}, expected [{text!r}]")
        first, second, third = (c["id"] for c in page["cards"][:3])

        # Who: the name typed into the page is recorded with each decision.
        wd.type_into("#reviewer", a.reviewer)
        # Mouse: accept the first pair.
        wd.click(f'article.pair[data-image-id="{first}"] button[data-act="accept"]')
        wd.wait(CARD_STATE, "the accepted card", 20, first, "accept")
        # Keyboard: focus moved on to the second pair; e opens the editor, Enter saves.
        wd.wait("return document.activeElement.dataset.imageId === String(arguments[0])", "focus on the second card", 20, second)
        wd.press("e")
        wd.wait("return document.activeElement.tagName === 'TEXTAREA'", "the editor")
        wd.screenshot(os.path.join(a.out, "editing.png"))
        wd.type_into(f'article.pair[data-image-id="{second}"] textarea', a.edit_text + ENTER)
        wd.wait(CARD_STATE, "the edited card", 20, second, "edit")
        # ... and on to the third: r rejects.
        wd.wait("return document.activeElement.dataset.imageId === String(arguments[0])", "focus on the third card", 20, third)
        wd.press("r")
        wd.wait(CARD_STATE, "the rejected card", 20, third, "reject")
        after = wd.run(PROBE)
        wd.screenshot(os.path.join(a.out, "decided.png"))
        edited = next(c for c in after["cards"] if c["id"] == second)
        check(edited["desc"] == a.edit_text, f"edited card shows {edited['desc']!r}")
        check(edited["bold"] == 0, "markup typed into the editor became elements")
        check("accepted 1" in after["counts"] and "rejected 1" in after["counts"] and "edited 1" in after["counts"],
              f"counts line: {after['counts']!r}")

        # Reload: what the page shows now comes from the database.
        wd.s("POST", "/refresh", {})
        wd.wait(READY, "the grid after reload")
        states = {c["id"]: (c["state"], c["desc"]) for c in wd.run(PROBE)["cards"]}
        check(states.get(first, ("",))[0] == "accept", f"after reload the first card is {states.get(first)}")
        check(states.get(second) == ("edit", a.edit_text), f"after reload the second card is {states.get(second)}")
        check(states.get(third, ("",))[0] == "reject", f"after reload the third card is {states.get(third)}")
        # The filter: rejected pairs only.
        wd.click('#filter option[value="rejected"]')
        wd.wait("return document.body.dataset.ready === '1' && document.querySelectorAll('article.pair').length === 1 "
                "&& document.querySelector('article.pair').dataset.imageId === String(arguments[0])",
                "the rejected filter", 20, third)
        wd.screenshot(os.path.join(a.out, "rejected.png"))
        logs = wd.console()
        errors = [l for l in logs if l.get("level") in ("SEVERE", "ERROR")]
        check(not errors, f"console errors: {errors[:5]}")
        result = {"accepted": first, "edited": second, "rejected": third, "text": a.edit_text, "reviewer": a.reviewer}
    except RuntimeError as e:
        failures.append(str(e))
        try:
            wd.screenshot(os.path.join(a.out, "failure.png"))
        except RuntimeError:
            pass
    finally:
        wd.close()
    with open(a.result, "w") as f:
        json.dump(result, f)
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"browser: decided {result}, screenshots in {a.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
