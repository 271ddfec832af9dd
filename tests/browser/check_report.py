#!/usr/bin/env python3
"""Opens an `analyze` report in headless Chromium as a person would, through chromedriver's
WebDriver HTTP API (W3C WebDriver, https://www.w3.org/TR/webdriver2/; standard library only, no
selenium), and checks: the named plots render as non-empty SVGs with a visible size, the named
sections say why they have no plot, pair images decode, the given strings show up as page text
(injected markup stays text: no <script> element, no element with an on* attribute, no alert),
and the browser console holds no error. Saves full-page screenshots and a JSON of what it saw.
Exit 0 when every check passes, 1 otherwise (each failure printed)."""
import argparse, base64, json, os, sys

from webdriver import add_browser_options, start


# What the page holds, read in the browser after layout.
PROBE = """
const plots = [...document.querySelectorAll('figure.plot')].map(f => {
  const svg = f.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {name: f.dataset.plot, svg: !!svg, width: r.width, height: r.height,
          shapes: svg ? svg.querySelectorAll('path, rect, line, polyline, polygon, circle, use').length : 0,
          texts: svg ? svg.querySelectorAll('text').length : 0};
});
const missing = [...document.querySelectorAll('p.missing[data-plot]')].map(p => p.dataset.plot);
const imgs = [...document.querySelectorAll('figure.pair img')];
const handlers = [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length;
return {plots, missing, scripts: document.querySelectorAll('script').length, handlers,
        images: imgs.length, images_decoded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
        external: [...document.querySelectorAll('[src], [href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))
                   .filter(u => !/^(data:|#)/.test(u)),
        text: document.body.innerText, height: document.documentElement.scrollHeight};
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("html")
    ap.add_argument("--out", required=True, help="folder for screenshots, page.json, chromedriver.log")
    ap.add_argument("--plots", default="", help="comma-separated plots that must be drawn")
    ap.add_argument("--missing", default="", help="comma-separated plots that must say why not")
    ap.add_argument("--min-images", type=int, default=0, help="pair images that must decode")
    ap.add_argument("--text", action="append", default=[], help="must appear in the page text")
    add_browser_options(ap)
    a = ap.parse_args()
    failures = []
    wd = start(a, a.out)
    try:
        wd.s("POST", "/url", {"url": "file://" + os.path.abspath(a.html)})
        try:  # an injected alert() would leave a dialog open
            failures.append(f"an alert opened: {wd.s('GET', '/alert/text')!r}")
        except RuntimeError:
            pass
        page = wd.s("POST", "/execute/sync", {"script": PROBE, "args": []})
        wd.s("POST", "/window/rect", {"width": 1280, "height": min(int(page["height"]) + 40, 16000)})
        png = base64.b64decode(wd.s("GET", "/screenshot"))
        with open(os.path.join(a.out, "report.png"), "wb") as f:
            f.write(png)
        wd.s("POST", "/window/rect", {"width": 1280, "height": 900})
        wd.s("POST", "/execute/sync", {"script": "document.getElementById('pairs').scrollIntoView()", "args": []})
        with open(os.path.join(a.out, "pairs.png"), "wb") as f:
            f.write(base64.b64decode(wd.s("GET", "/screenshot")))
        logs = wd.s("POST", "/se/log", {"type": "browser"}) or []
    finally:
        wd.close()
    with open(os.path.join(a.out, "page.json"), "w") as f:
        json.dump({"page": page, "console": logs}, f, indent=1)

    drawn = {p["name"]: p for p in page["plots"]}
    for name in filter(None, a.plots.split(",")):
        p = drawn.get(name)
        if not p or not p["svg"]:
            failures.append(f"plot {name} is not on the page")
        elif p["width"] < 100 or p["height"] < 50 or p["shapes"] < 5:
            failures.append(f"plot {name} is empty or invisible: {p}")
    for name in filter(None, a.missing.split(",")):
        if name not in page["missing"]:
            failures.append(f"plot {name} should say why it is missing; missing ones: {page['missing']}")
    if page["images_decoded"] < a.min_images:
        failures.append(f"{page['images_decoded']} of {page['images']} pair images decoded, expected >= {a.min_images}")
    if page["scripts"]:
        failures.append(f"{page['scripts']} <script> elements on a page that has none")
    if page["handlers"]:
        failures.append(f"{page['handlers']} elements with on* attributes (injected markup)")
    if page["external"]:
        failures.append(f"external resources: {page['external'][:5]}")
    for t in a.text:
        if t not in page["text"]:
            failures.append(f"page text lacks {t!r}")
    errors = [l for l in logs if l.get("level") in ("SEVERE", "ERROR")]
    if errors:
        failures.append(f"console errors: {errors[:5]}")
    if len(png) < 10000:
        failures.append(f"screenshot of {len(png)} bytes")
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"browser: {len(drawn)} plots drawn, {len(page['missing'])} say why not, "
          f"{page['images_decoded']}/{page['images']} images, {len(logs)} console lines, "
          f"screenshots in {a.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
