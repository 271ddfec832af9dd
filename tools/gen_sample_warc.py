#!/usr/bin/env python3
"""Writes deterministic, realistic WARC/1.1 sample files and a manifest of what they hold (stdlib only).

The manifest is computed from what this script emitted, never by parsing its output, so the
end-to-end tests can compare the extractor's database with an independent expectation.
The rules it follows (URL choice, skips, alt-in-context) are documented in docs/sample-data.md.
"""
import argparse
import base64
import hashlib
import html
import json
import os
import random
import sys
import time
import uuid
import zlib
from multiprocessing import Pool
from urllib.parse import urljoin

TOKEN = "@@PID@@"          # replaced by the page id in every instance of a pooled page
BTOKEN = TOKEN.encode()
GEN_VERSION = "1"

# ----------------------------------------------------------------------------------------------
# Deterministic randomness. Only Random.random() and getrandbits() are used: both are stable
# across Python versions, unlike choice()/randint() whose implementations have changed.


class Rng:
    def __init__(self, seed):
        self.r = random.Random(str(seed))

    def f(self):
        return self.r.random()

    def chance(self, p):
        return self.r.random() < p

    def int(self, lo, hi):  # inclusive
        return lo + int(self.r.random() * (hi - lo + 1))

    def pick(self, seq):
        return seq[int(self.r.random() * len(seq))]

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.r.random() * total
        for v, w in pairs:
            x -= w
            if x < 0:
                return v
        return pairs[-1][0]

    def bytes(self, n):
        return self.r.getrandbits(8 * n).to_bytes(n, "little") if n else b""

    def uuid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))


def norm(s):
    """Whitespace collapsed (ASCII and Unicode, NBSP included) and trimmed, as the extractor does."""
    return " ".join(s.split())


# ----------------------------------------------------------------------------------------------
# Vocabulary. "A" words build body text and in-context captions; "B" words build alt texts
# that must NOT occur in the page (the generator asserts it), so alt-in-context flags are exact.

EN = {
    "adj": ["red", "small", "old", "young", "grey", "brown", "white", "black", "golden", "sleepy",
            "curious", "striped", "spotted", "tall", "rusty", "bright yellow", "muddy", "tiny", "wet",
            "lonely", "orange", "elderly"],
    "subj": ["fox", "cat", "dog", "heron", "bicycle", "fishing boat", "lighthouse", "tram", "child",
             "woman", "man", "group of hikers", "cyclist", "barista", "vintage car", "teapot",
             "sheep", "horse", "owl", "street musician", "market stall", "wind turbine", "sailboat",
             "delivery van", "robin", "squirrel", "cow", "chef", "farmer", "runner"],
    "act": ["sleeping", "standing", "resting", "walking", "sitting", "running", "parked",
            "drifting", "waiting", "reading a map", "looking out", "playing", "leaning", "hiding"],
    "place": ["in the snow near a wooden fence", "on a stone bridge", "beside a quiet canal",
              "under a cherry tree", "at the edge of a pine forest", "on a crowded market street",
              "next to a red telephone box", "in a field of sunflowers",
              "on the steps of the old library", "by the harbour wall", "in front of a bakery",
              "on a narrow cobbled lane", "near the train station", "under a striped awning",
              "in the morning fog", "on a sandy beach at sunset", "inside a greenhouse",
              "beside a frozen lake", "on a rooftop terrace", "along the river path"],
    "names": ["Anna Becker", "Tom Okafor", "L\u00e9a Martin", "Jonas Weber", "Priya Shah",
              "Sam O\u2019Neill", "Chlo\u00e9 Dubois", "Mika Tanaka", "Ruth Alvarez", "Ben Carter"],
    "towns": ["Kingsbridge", "Port Ellen", "Saint-Malo", "Lindau", "Whitby", "Honfleur", "Bamberg",
              "Tobermory", "Dingle", "Cr\u00e9mieux"],
    "gen": ["The council said the new timetable would start in {month}.",
            "Prices at the weekly market in {town} rose by {n} per cent this year.",
            "Readers have sent us more than {n} letters about the plan.",
            "{name} told us the caf\u00e9 would reopen after the summer.",
            "Fish & chips remain the town\u2019s favourite lunch, a survey of {n} visitors found.",
            "The ferry to {town} was cancelled twice last week because of strong winds.",
            "Volunteers planted {n} trees along the old railway line.",
            "\u201cWe did not expect so many people,\u201d said {name}.",
            "The museum\u2019s new wing opens on {n} {month} with free entry for children.",
            "Local bakers say flour costs have doubled since last spring.",
            "Tickets cost \u00a3{n} and can be booked online or at the harbour office.",
            "The route is about {n} km long and mostly flat \u2013 suitable for families.",
            "Our correspondent {name} spent a week in {town} talking to fishermen.",
            "Repairs to the bridge in {town} are expected to take until {month}.",
            "Most of the guests arrived by train, a few by bike.",
            "The recipe needs butter, sugar, two eggs and a pinch of salt.",
            "In {month} the evenings are long and the light is soft.",
            "Parking near the square is limited, so arrive early.",
            "The committee meets every second Tuesday at {n} o\u2019clock.",
            "Comments are moderated; please keep the discussion friendly."],
    "seen": ["We spotted {c} on our way home.", "On Sunday there was {c}.",
             "Below you can see {c}.", "In this picture: {c}.", "{C}.",
             "Our reader {name} sent us a shot of {c}.", "Nearby we found {c}."],
    "months": ["January", "March", "April", "May", "June", "August", "October", "December"],
    "badj": ["glossy", "vintage", "miniature", "porcelain", "hand-painted"],
    "bsubj": ["kingfisher", "accordion", "hot-air balloon", "lemur", "saxophone", "typewriter",
              "flamingo", "windmill", "tortoise", "harmonica", "zeppelin", "pelican",
              "chandelier", "cactus garden", "walrus"],
    "bplace": ["on a white background", "in a studio", "against a blue wall", "in close-up"],
    "bgeneric": ["thumbnail", "banner graphic", "header graphic", "decorative divider",
                 "product shot", "author portrait", "advertisement", "hero artwork"],
}

FR = {
    "subj": ["un renard roux", "un vieux chat gris", "une petite fille", "un bateau de p\u00eache",
             "un phare blanc", "une cycliste", "un march\u00e9 anim\u00e9",
             "une th\u00e9i\u00e8re en fonte", "un h\u00e9ron cendr\u00e9", "une voiture ancienne"],
    "act": ["qui dort", "qui attend", "qui se repose", "qui marche", "qui regarde la mer"],
    "place": ["dans la neige pr\u00e8s d\u2019une cl\u00f4ture en bois", "sur un pont de pierre",
              "au bord d\u2019un canal tranquille", "sous un cerisier en fleurs",
              "devant une boulangerie", "sur une plage au coucher du soleil", "pr\u00e8s de la gare",
              "dans une ruelle pav\u00e9e"],
    "gen": ["La mairie a annonc\u00e9 de nouveaux horaires pour le march\u00e9.",
            "Les prix ont augment\u00e9 de {n} % cette ann\u00e9e.",
            "Le caf\u00e9 de la place rouvrira apr\u00e8s l\u2019\u00e9t\u00e9.",
            "\u00ab Nous ne nous attendions pas \u00e0 autant de monde \u00bb, explique {name}.",
            "Le mus\u00e9e est ferm\u00e9 le lundi et les jours f\u00e9ri\u00e9s.",
            "La travers\u00e9e vers l\u2019\u00eele dure environ {n} minutes.",
            "Les b\u00e9n\u00e9voles ont plant\u00e9 {n} arbres le long de l\u2019ancienne voie ferr\u00e9e.",
            "R\u00e9servation conseill\u00e9e en juillet et en ao\u00fbt."],
    "seen": ["Nous avons vu {c}.", "Ci-dessous : {c}.", "{C}.", "Dimanche, il y avait {c}."],
    "bsubj": ["un martin-p\u00eacheur sur fond blanc", "un accord\u00e9on en gros plan",
              "une montgolfi\u00e8re dessin\u00e9e", "un flamant rose en studio",
              "une machine \u00e0 \u00e9crire"],
}

DE = {
    "subj": ["ein roter Fuchs", "eine graue Katze", "ein kleiner Hund", "ein alter Leuchtturm",
             "ein Fischerboot", "eine Radfahrerin", "ein Reiher", "ein Oldtimer"],
    "act": ["schl\u00e4ft", "wartet", "ruht sich aus", "steht", "sitzt"],
    "place": ["im Schnee neben einem Holzzaun", "auf einer Steinbr\u00fccke",
              "am Ufer eines ruhigen Kanals", "unter einem Kirschbaum", "vor einer B\u00e4ckerei",
              "am Strand bei Sonnenuntergang", "in einer engen Gasse", "am Bahnhof"],
    "gen": ["Die Stadt hat neue \u00d6ffnungszeiten f\u00fcr den Markt angek\u00fcndigt.",
            "Die Preise sind in diesem Jahr um {n} Prozent gestiegen.",
            "Die Stra\u00dfe bleibt bis Ende {month} gesperrt.",
            "\u201eWir haben nicht mit so vielen G\u00e4sten gerechnet\u201c, sagt {name}.",
            "Die \u00dcbernachtung kostet {n} Euro inklusive Fr\u00fchst\u00fcck.",
            "Das Museum ist montags geschlossen.",
            "Der Radweg ist etwa {n} Kilometer lang und f\u00fcr Familien geeignet.",
            "Die B\u00e4ckerei am Marktplatz ist gr\u00f6\u00dfer geworden."],
    "seen": ["Wir sahen: {c}.", "Unten: {c}.", "{C}.", "Am Sonntag: {c}."],
    "bsubj": ["ein Eisvogel vor wei\u00dfem Hintergrund", "ein Akkordeon in Nahaufnahme",
              "ein Hei\u00dfluftballon als Zeichnung", "ein Flamingo im Studio",
              "eine Schreibmaschine"],
}

JA = {
    "subj": ["\u8d64\u3044\u72d0", "\u767d\u3044\u732b", "\u5c0f\u3055\u306a\u72ac",
             "\u53e4\u3044\u706f\u53f0", "\u6f01\u8239", "\u81ea\u8ee2\u8eca\u306b\u4e57\u3063\u305f\u5973\u6027",
             "\u9752\u3044\u9ce5", "\u5e74\u8001\u3044\u305f\u6f01\u5e2b"],
    "place": ["\u96ea\u306e\u4e2d\u306e\u6728\u306e\u67f5\u306e\u305d\u3070", "\u77f3\u306e\u6a4b\u306e\u4e0a",
              "\u9759\u304b\u306a\u904b\u6cb3\u306e\u307b\u3068\u308a", "\u685c\u306e\u6728\u306e\u4e0b",
              "\u30d1\u30f3\u5c4b\u306e\u524d", "\u5915\u66ae\u308c\u306e\u6d5c\u8fba",
              "\u99c5\u306e\u8fd1\u304f"],
    "act": ["\u3067\u7720\u3063\u3066\u3044\u308b", "\u3067\u4f11\u3093\u3067\u3044\u308b",
            "\u3067\u5f85\u3063\u3066\u3044\u308b"],
    "gen": ["\u4eca\u5e74\u306e\u5e02\u5834\u306e\u4fa1\u683c\u306f\u5c11\u3057\u4e0a\u304c\u308a\u307e\u3057\u305f\u3002",
            "\u5e02\u5f79\u6240\u306f\u65b0\u3057\u3044\u6642\u523b\u8868\u3092\u767a\u8868\u3057\u307e\u3057\u305f\u3002",
            "\u9031\u672b\u306f\u5929\u6c17\u304c\u826f\u304f\u306a\u308b\u898b\u8fbc\u307f\u3067\u3059\u3002",
            "\u5730\u5143\u306e\u4eba\u3005\u306f\u65b0\u3057\u3044\u56f3\u66f8\u9928\u3092\u697d\u3057\u307f\u306b\u3057\u3066\u3044\u307e\u3059\u3002",
            "\u3053\u306e\u304a\u5e97\u306e\u30d1\u30f3\u306f\u3068\u3066\u3082\u4eba\u6c17\u304c\u3042\u308a\u307e\u3059\u3002",
            "\u30d5\u30a7\u30ea\u30fc\u306f\u5f37\u3044\u98a8\u306e\u305f\u3081\u6b20\u822a\u3057\u307e\u3057\u305f\u3002"],
    "seen": ["{c}\u3092\u898b\u304b\u3051\u307e\u3057\u305f\u3002", "\u4e0b\u306e\u5199\u771f\uff1a{c}\u3002",
             "{c}\u3002"],
    "bsubj": ["\u30ab\u30ef\u30bb\u30df\u306e\u30af\u30ed\u30fc\u30ba\u30a2\u30c3\u30d7",
              "\u30a2\u30b3\u30fc\u30c7\u30a3\u30aa\u30f3\u306e\u5546\u54c1\u753b\u50cf",
              "\u71b1\u6c17\u7403\u306e\u30a4\u30e9\u30b9\u30c8"],
}

KO = {
    "subj": ["\ubd89\uc740 \uc5ec\uc6b0", "\ud558\uc580 \uace0\uc591\uc774", "\uc791\uc740 \uac15\uc544\uc9c0",
             "\uc624\ub798\ub41c \ub4f1\ub300", "\uace0\uae43\ubc30"],
    "place": ["\ub208 \uc18d \ub098\ubb34 \uc6b8\ud0c0\ub9ac \uc606\uc5d0\uc11c", "\ub3cc\ub2e4\ub9ac \uc704\uc5d0\uc11c",
              "\uc870\uc6a9\ud55c \uc6b4\ud558 \uc606\uc5d0\uc11c", "\ube75\uc9d1 \uc55e\uc5d0\uc11c"],
    "act": ["\uc7a0\uc790\ub294", "\uc26c\uace0 \uc788\ub294", "\uae30\ub2e4\ub9ac\ub294"],
    "gen": ["\uc62c\ud574 \uc2dc\uc7a5 \ubb3c\uac00\uac00 \uc870\uae08 \uc62c\ub790\uc2b5\ub2c8\ub2e4.",
            "\uc2dc\uccad\uc740 \uc0c8\ub85c\uc6b4 \uc2dc\uac04\ud45c\ub97c \ubc1c\ud45c\ud588\uc2b5\ub2c8\ub2e4.",
            "\uc8fc\ub9d0\uc5d0\ub294 \ub0a0\uc528\uac00 \uc88b\uc744 \uac83\uc73c\ub85c \ubcf4\uc785\ub2c8\ub2e4.",
            "\uc9c0\uc5ed \uc8fc\ubbfc\ub4e4\uc740 \uc0c8 \ub3c4\uc11c\uad00\uc744 \uae30\ub2e4\ub9ac\uace0 \uc788\uc2b5\ub2c8\ub2e4."],
    "seen": ["{c}\ub97c \ubcf4\uc558\uc2b5\ub2c8\ub2e4.", "\uc544\ub798: {c}.", "{c}."],
    "bsubj": ["\ubb3c\ucd1d\uc0c8 \uadfc\uc811 \uc0ac\uc9c4", "\uc544\ucf54\ub514\uc5b8 \uc81c\ud488 \uc774\ubbf8\uc9c0",
              "\uc5f4\uae30\uad6c \uc77c\ub7ec\uc2a4\ud2b8"],
}

ZH = {
    "subj": ["\u7ea2\u72d0\u72f8", "\u767d\u732b", "\u5c0f\u72d7", "\u65e7\u706f\u5854", "\u6e14\u8239",
             "\u9a91\u81ea\u884c\u8f66\u7684\u5973\u4eba"],
    "place": ["\u5728\u96ea\u5730\u91cc\u7684\u6728\u6805\u680f\u65c1", "\u5728\u77f3\u6865\u4e0a",
              "\u5728\u5b89\u9759\u7684\u8fd0\u6cb3\u8fb9", "\u5728\u6a31\u82b1\u6811\u4e0b",
              "\u5728\u9762\u5305\u5e97\u95e8\u524d"],
    "act": ["\u7761\u89c9", "\u4f11\u606f", "\u7b49\u5f85"],
    "gen": ["\u4eca\u5e74\u5e02\u573a\u7684\u4ef7\u683c\u7565\u6709\u4e0a\u6da8\u3002",
            "\u5e02\u653f\u5e9c\u516c\u5e03\u4e86\u65b0\u7684\u65f6\u95f4\u8868\u3002",
            "\u5468\u672b\u5929\u6c14\u9884\u8ba1\u4f1a\u5f88\u597d\u3002",
            "\u5f53\u5730\u5c45\u6c11\u90fd\u5728\u671f\u5f85\u65b0\u7684\u56fe\u4e66\u9986\u3002"],
    "seen": ["\u6211\u4eec\u770b\u5230\u4e86{c}\u3002", "\u4e0b\u56fe\uff1a{c}\u3002", "{c}\u3002"],
    "bsubj": ["\u7fe0\u9e1f\u7279\u5199", "\u624b\u98ce\u7434\u4ea7\u54c1\u56fe", "\u70ed\u6c14\u7403\u63d2\u753b"],
}


class Lang:
    """Sentence and caption generator for one language."""

    def __init__(self, code):
        self.code = code
        self.v = {"en": EN, "fr": FR, "de": DE, "ja": JA, "ko": KO, "zh": ZH}[code]
        self.cjk = code in ("ja", "ko", "zh")

    def caption(self, rng):
        v = self.v
        if self.code == "en":
            adj = rng.pick(v["adj"])
            art = "an" if adj[0] in "aeiou" else "a"
            return f"{art} {adj} {rng.pick(v['subj'])} {rng.pick(v['act'])} {rng.pick(v['place'])}"
        s, a, p = rng.pick(v["subj"]), rng.pick(v["act"]), rng.pick(v["place"])
        return {"fr": f"{s} {a} {p}", "de": f"{s} {a} {p}", "ja": f"{p}{a}{s}",
                "ko": f"{p} {a} {s}", "zh": f"{s}{p}{a}"}[self.code]

    def foreign_alt(self, rng):
        """An alt text built only from B words: it cannot occur in the page text."""
        if self.code != "en":
            return rng.pick(self.v["bsubj"])
        k = rng.f()
        if k < 0.25:
            return rng.pick(EN["bgeneric"])
        b = rng.pick(EN["bsubj"])
        art = "an" if b[0] in "aeiou" else "a"
        if k < 0.6:
            return f"{art} {b} {rng.pick(EN['bplace'])}"
        return f"{art} {rng.pick(EN['badj'])} {b}"

    def sentence(self, rng):
        g = rng.pick(self.v["gen"])
        return g.format(n=rng.int(2, 90), month=rng.pick(EN["months"]),
                        town=rng.pick(EN["towns"]), name=rng.pick(EN["names"]))

    def seen(self, rng, cap):
        t = rng.pick(self.v["seen"])
        return t.format(c=cap, C=cap[:1].upper() + cap[1:], name=rng.pick(EN["names"]))

    def para_text(self, rng, n):
        sep = "" if self.cjk and self.code != "ko" else " "
        out = []
        for _ in range(n):
            if rng.chance(0.25):
                out.append(self.seen(rng, self.caption(rng)))
            else:
                out.append(self.sentence(rng))
        return sep.join(out)


# ----------------------------------------------------------------------------------------------
# HTML building. Markup is kept as logical text; escaping and entities are applied on the way
# out. `vis` collects the visible text (logical, entity-decoded) so alt flags can be checked.

GIF1 = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
PNG_DATA = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAHElEQVR4nGNg"
            "YGD4z0AEYBxVSF+FAP5FDvcfRjQ3AAAAAElFTkSuQmCC")
SLUGS = ["harbour", "market", "sunset", "ferry", "bakery", "trail", "bridge", "garden", "canal",
         "lighthouse", "festival", "winter", "autumn", "coast", "village", "orchard"]
ENT_NAMED = {"\u2019": "&rsquo;", "\u00e9": "&eacute;", "\u00e8": "&egrave;", "\u00a0": "&nbsp;",
             "\u00fc": "&uuml;", "\u00e4": "&auml;", "\u00f6": "&ouml;", "\u00df": "&szlig;",
             "\u201c": "&ldquo;", "\u201d": "&rdquo;", "\u2013": "&ndash;", "\u00a3": "&pound;"}


def esc_text(s, rng):
    s = html.escape(s, quote=False)
    k = rng.f()
    if k < 0.3:
        for ch, ent in ENT_NAMED.items():
            if ch in s:
                s = s.replace(ch, ent)
    elif k < 0.5:
        for ch in ENT_NAMED:
            if ch in s:
                s = s.replace(ch, "&#%d;" % ord(ch))
    return s


def esc_attr(s):
    return html.escape(s, quote=True)


class Builder:
    def __init__(self, rng, lang, site, codec="utf-8"):
        self.rng, self.lang, self.site, self.codec = rng, lang, site, codec
        self.parts, self.vis, self.images = [], [], []
        self.size = 0
        self.fig = None          # figcaption text of the <figure> being written
        self.k = 0               # image counter for file names

    def raw(self, s):
        self.parts.append(s)
        self.size += len(s)

    def text(self, s):
        e = esc_text(s, self.rng)
        self.parts.append(e)
        self.vis.append(s)
        self.size += len(e.encode(self.codec, "xmlcharrefreplace"))

    def el(self, tag, s, attrs="", close=True):
        self.raw(f"<{tag}{attrs}>")
        self.text(s)
        if close:
            self.raw(f"</{tag}>")
        self.raw("\n")

    def para(self, n=None, first=None, last=None, close=None):
        rng = self.rng
        body = self.lang.para_text(rng, n if n is not None else rng.int(2, 6))
        sep = "" if self.lang.code in ("ja", "zh") else " "
        if first:
            body = first + sep + body
        if last:
            body = body + sep + last
        self.el("p", body, close=rng.chance(0.8) if close is None else close)

    # -- images -----------------------------------------------------------------------------
    def ref(self, name):
        """An image reference in one of the URL styles seen on real pages."""
        rng, d = self.rng, self.site["domain"]
        style = rng.weighted([("abs", 3), ("proto", 1), ("root", 3), ("rel", 2), ("dotdot", 1),
                              ("dot", 1), ("query", 1), ("commas", 1), ("ws", 1)])
        if style == "abs":
            return f"https://{self.site['host']}/wp-content/uploads/2024/03/{name}"
        if style == "proto":
            return f"//cdn.{d}/img/{name}"
        if style == "root":
            return f"/images/{name}"
        if style == "rel":
            return f"media/{name}"
        if style == "dotdot":
            return f"../assets/{name}"
        if style == "dot":
            return f"./pics/{name}"
        if style == "query":
            return f"/img.php?id={TOKEN}&size=large&name={name}"
        if style == "commas":
            return f"https://res.cdn-img.example/image/upload/w_800,c_fill,q_auto/{name}"
        return f"  /images/{name}\n"

    def name(self, ext="jpg"):
        self.k += 1
        return f"{self.rng.pick(SLUGS)}-{TOKEN}-{self.k}.{ext}"

    def srcset(self, stem, kind):
        """Returns (attribute value, list of (ref, value)); kind 'w' or 'x'."""
        rng = self.rng
        if kind == "w":
            widths = [320, 640, 960, 1280, 1920][: rng.int(2, 5)]
            cands = [(f"{stem}-{w}w.jpg", w) for w in widths]
            shown = [f"{r} {w}w" for r, w in cands]
        else:
            dens = [1, 1.5, 2, 3][: rng.int(2, 4)]
            cands = [(f"{stem}@{d}x.jpg", d) for d in dens]
            shown = [(r if d == 1 and rng.chance(0.4) else f"{r} {d:g}x") for r, d in cands]
        if rng.chance(0.3):
            cands_order = list(zip(shown, cands))
            cands_order.reverse()  # largest first: "largest" must not mean "last"
            shown = [s for s, _ in cands_order]
            cands = [c for _, c in cands_order]
        sep = ",\n      " if rng.chance(0.3) else ", "
        best = max(cands, key=lambda c: c[1])  # ties: max() keeps the first
        return sep.join(shown), best[0]

    def img(self, alt_mode, alt_text, width=None, height=None, mode=None, lone=False):
        """Writes one <img> (maybe wrapped in <picture>) and records its expectation."""
        rng = self.rng
        if mode is None:
            mode = rng.weighted([("src", 10), ("src_srcset_w", 3), ("srcset_x", 1),
                                 ("srcset_w", 1), ("picture", 2), ("picture_nosrc", 1),
                                 ("lazy", 3), ("lazy_srcset", 1), ("data_uri", 1)])
        nm = self.name()
        base_ref = self.ref(nm)
        stem = base_ref.strip().rsplit(".", 1)[0]
        attrs, exp, via, src, in_pic = [], None, "src", None, False
        pre = ""
        if mode in ("src", "src_srcset_w"):
            src = base_ref
            attrs.append(("src", src))
            exp = src
            if mode == "src_srcset_w":
                val, _ = self.srcset(stem, "w")
                attrs.append(("srcset", val))
                attrs.append(("sizes", "(max-width: 700px) 100vw, 700px"))
        elif mode in ("srcset_x", "srcset_w"):
            val, exp = self.srcset(stem, mode[-1])
            attrs.append(("srcset", val))
            via = "srcset"
        elif mode in ("picture", "picture_nosrc"):
            in_pic = True
            v1, best1 = self.srcset(stem + "-webp", "w")
            v2, _ = self.srcset(stem, "w")
            pre = (f'<picture>\n  <source type="image/webp" srcset="{esc_attr(v1)}" '
                   f'sizes="100vw">\n  <source srcset="{esc_attr(v2)}">\n  ')
            if mode == "picture":
                src = base_ref
                attrs.append(("src", src))
                exp = src
            else:
                exp, via = best1, "picture"
        elif mode == "lazy":
            lazy = rng.pick(["data-src", "data-src", "data-lazy-src", "data-original"])
            ph = rng.pick([GIF1, "/static/img/blank.gif", "placeholder.svg", None])
            if ph is not None:
                src = ph
                attrs.append(("src", ph))
            attrs.append((lazy, base_ref))
            attrs.append(("class", "lazyload"))
            exp, via = base_ref, lazy
        elif mode == "lazy_srcset":
            src = GIF1
            attrs.append(("src", GIF1))
            val, exp = self.srcset(stem, "w")
            attrs.append(("data-srcset", val))
            attrs.append(("data-sizes", "auto"))
            via = "data-srcset"
        elif mode == "data_uri":
            src = PNG_DATA
            attrs.append(("src", PNG_DATA))
            via = None
        elif mode == "tracker":
            src = f"https://stats.{self.site['domain']}/pixel.gif?u={TOKEN}&ev=view"
            attrs.append(("src", src))
            exp = src
        if alt_mode != "none":
            attrs.append(("alt", "" if alt_mode == "empty" else alt_text))
        if width is None and rng.chance(0.4) and mode not in ("tracker",):
            width, height = rng.pick([(800, 533), (640, 480), (300, 200), (1200, 675)])
        if width is not None:
            attrs.append(("width", str(width)))
            attrs.append(("height", str(height)))
        if rng.chance(0.5) and mode != "tracker":
            attrs.append(("loading", "lazy"))
        if rng.chance(0.15):
            attrs.append(("title", "Click to enlarge"))
        s = "<img " + " ".join(f'{k}="{esc_attr(v)}"' for k, v in attrs)
        s += " />" if rng.chance(0.3) else ">"
        if in_pic:
            s = pre + s + "\n</picture>"
        self.raw(s + ("\n" if lone else ""))
        skip = None
        if mode == "data_uri":
            skip = "data_uri"
        elif width == 1 and height == 1:
            skip = "tracker"
        self.images.append({
            "ref": exp, "via": via, "src": src, "mode": mode,
            "alt": None if alt_mode == "none" else ("" if alt_mode == "empty" else norm(alt_text)),
            "alt_mode": alt_mode, "skip": skip, "figcaption": self.fig, "in_picture": in_pic,
            "width": width, "height": height})

    def alt_choice(self, ctx_ok=True):
        """none / empty / ctx (alt occurs next to the image) / noctx (alt occurs nowhere)."""
        return self.rng.weighted([("none", 18), ("empty", 14), ("ctx", 30 if ctx_ok else 0),
                                  ("noctx", 38)])

    def content_image(self):
        """A content image with its surrounding text: figure, inline, linked or plain."""
        rng, lang = self.rng, self.lang
        am = self.alt_choice()
        cap = lang.caption(rng)
        alt = cap if am == "ctx" else lang.foreign_alt(rng)
        shape = rng.weighted([("figure", 4), ("inline", 2), ("linked", 2), ("plain", 2)])
        if shape == "figure":
            fc_text = cap if (am == "ctx" and rng.chance(0.5)) else lang.caption(rng)
            if am != "ctx" and rng.chance(0.3):
                fc_text = lang.sentence(rng)
            fc_before = rng.chance(0.3)
            need_para = am == "ctx" and fc_text != cap
            if need_para:
                self.para(last=lang.seen(rng, cap))
            else:
                self.para()
            self.raw('<figure class="wp-block-image">\n')
            self.fig = norm(fc_text)
            if fc_before:
                self.el("figcaption", fc_text)
            self.img(am, alt, lone=True)
            if not fc_before:
                self.el("figcaption", fc_text)
            self.fig = None
            self.raw("</figure>\n")
            self.para()
        elif shape == "inline":
            before = lang.sentence(rng)
            after = lang.seen(rng, cap) if am == "ctx" else lang.sentence(rng)
            self.raw("<p>")
            self.text(before + " ")
            self.img(am, alt)
            self.text(" " + after)
            self.raw("</p>\n")
        else:
            after_side = rng.chance(0.5)
            if am == "ctx" and not after_side:
                self.para(last=lang.seen(rng, cap))
            else:
                self.para()
            if shape == "linked":
                self.raw(f'<a href="/photos/{TOKEN}/{self.k + 1}" class="lightbox">')
                self.img(am, alt)
                self.raw("</a>\n")
            else:
                self.img(am, alt, lone=True)
            if am == "ctx" and after_side:
                self.para(first=lang.seen(rng, cap))
            else:
                self.para()

    def svg_icon(self):
        t = self.rng.pick(["Search", "Menu", "Share", "Close"])
        self.raw(f'<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">'
                 f'<title>{t}</title><path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z"/>'
                 f'<circle cx="12" cy="12" r="3" fill="none" stroke="currentColor"/></svg>')


# ----------------------------------------------------------------------------------------------
# Page templates: one per pooled page. Each is built once; instances substitute TOKEN.

SITES = {
    "en": [("Harbour Gazette", "harbour-gazette.example", "news"),
           ("The Quiet Lane", "quietlane.example", "blog"),
           ("Northwind Outfitters", "northwind-shop.example", "shop"),
           ("Lumen Gallery", "lumen-gallery.example", "gallery"),
           ("Trailhead Forum", "trailhead-forum.example", "forum"),
           ("Crumb &amp; Co. Kitchen", "crumb-kitchen.test", "blog")],
    "fr": [("Le Petit Port", "petitport.example", "news"), ("Carnet de route", "carnet.example", "blog")],
    "de": [("Kanalblick", "kanalblick.example", "news"), ("Wanderforum", "wanderforum.example", "forum")],
    "ja": [("\u6e2f\u753a\u30cb\u30e5\u30fc\u30b9", "minato-news.example", "news"),
           ("\u5199\u771f\u306e\u90e8\u5c4b", "shashin.example", "gallery")],
    "ko": [("\ubc14\ub2f7\uac00 \uc18c\uc2dd", "badatga.example", "news")],
    "zh": [("\u6e2f\u53e3\u65e5\u62a5", "gangkou.example", "blog")],
}
CHARSETS = {  # WHATWG name -> (python codec, labels used in declarations)
    "utf-8": ("utf-8", ["utf-8", "UTF-8", "utf8"]),
    "windows-1252": ("cp1252", ["windows-1252", "ISO-8859-1", "iso-8859-1", "latin1"]),
    "shift_jis": ("shift_jis", ["Shift_JIS", "shift_jis", "sjis"]),
    "euc-kr": ("euc_kr", ["EUC-KR", "euc-kr"]),
    "gbk": ("gbk", ["GBK", "gb2312", "GB2312"]),
}
LOCAL_CHARSET = {"en": "windows-1252", "fr": "windows-1252", "de": "windows-1252",
                 "ja": "shift_jis", "ko": "euc-kr", "zh": "gbk"}
NAV = ["Home", "News", "About us", "Contact", "Archive", "Events", "Newsletter", "Privacy policy",
       "Terms of use", "Careers", "Help", "Sitemap", "Subscribe", "Log in"]


def css_block(rng, n):
    rules = []
    for i in range(n):
        sel = rng.pick([".post", ".nav", "header", ".card", ".grid", ".btn", "footer", "#main",
                        ".sidebar", ".hero", ".product", "table.results"]) + f" .c{i}"
        rules.append(f"{sel}{{margin:{rng.int(0, 24)}px {rng.int(0, 24)}px;"
                     f"color:#{rng.int(0, 0xffffff):06x};font-size:{rng.int(11, 28)}px;"
                     f"line-height:1.{rng.int(2, 8)}}}")
    return "\n".join(rules)


def js_block(rng, trap, target):
    """Script text with words and '<img' in strings: none of it is visible text."""
    lines = ["(function(w,d){", "  var cfg = {site:'main', ab:'" + str(rng.int(1, 9)) + "'};",
             "  var promo = '" + trap.replace("'", " ") + "';",
             "  var tpl = '<img src=\"/promo/banner.jpg\" alt=\"' + promo + '\">';",
             "  if (d.querySelector('.promo')) { d.querySelector('.promo').innerHTML = tpl; }",
             "  w.dataLayer = w.dataLayer || []; w.dataLayer.push({event:'pageview'});"]
    for i in range(rng.int(target // 2000, target // 400)):
        lines.append(f"  function f{i}(a,b){{return a*{rng.int(1, 99)}+b>{rng.int(1, 999)}"
                     f"?'x{i}':'y{i}';}}")
    lines.append("})(window,document);")
    return "\n".join(lines)


class Template:
    pass


def build_template(rng, idx, kb_min, kb_max, lang_code=None, kind=None, target_bytes=None,
                   charset=None, filler_bytes=0):
    lang_code = lang_code or rng.weighted([("en", 70), ("fr", 8), ("de", 8), ("ja", 6),
                                           ("ko", 4), ("zh", 4)])
    name, domain, site_kind = rng.pick(SITES[lang_code])
    kind = kind or (site_kind if rng.chance(0.7) else rng.pick(
        ["blog", "news", "shop", "gallery", "forum"]))
    lang = Lang(lang_code)
    if charset is None:
        charset = LOCAL_CHARSET[lang_code] if rng.chance(0.25 if lang_code == "en" else 0.5) \
            else "utf-8"
    site = {"name": html.unescape(name), "domain": domain,
            "host": ("www." if kind != "gallery" else "") + domain}
    t = Template()
    t.lang, t.kind, t.charset, t.site = lang_code, kind, charset, site
    slug = f"{rng.pick(SLUGS)}-{rng.pick(SLUGS)}"
    t.url = {
        "blog": f"https://{site['host']}/2024/0{rng.int(1, 9)}/{slug}-{TOKEN}/",
        "news": f"https://{site['host']}/{rng.pick(['world', 'local', 'culture'])}/{slug}-{TOKEN}.html",
        "shop": f"https://shop.{domain}/products/{slug}-{TOKEN}?variant=2&ref=home",
        "gallery": f"https://{domain}/gallery/{TOKEN}/index.php",
        "forum": f"http://{domain}/forum/viewtopic.php?t={TOKEN}&start=15",
    }[kind]
    # Charset declaration: in the HTTP header, a <meta>, both, neither (utf-8 only), or a BOM.
    if charset == "utf-8":
        t.decl = rng.weighted([("header", 3), ("meta", 3), ("both", 4), ("none", 1), ("bom", 1)])
    else:
        t.decl = rng.weighted([("header", 1), ("meta", 1), ("both", 2)])
    labels = CHARSETS[charset][1]
    t.header_label = rng.pick(labels) if t.decl in ("header", "both") else None
    if t.decl == "bom" and rng.chance(0.4):
        t.header_label = "iso-8859-1"  # wrong on purpose: the BOM wins (WHATWG "decode")
    meta_label = rng.pick(labels) if t.decl in ("meta", "both") else None
    t.meta_conflict = False
    if t.decl == "both" and charset == "utf-8" and rng.chance(0.1):
        meta_label, t.meta_conflict = "windows-1252", True  # header wins over <meta>
    t.base_href = None
    if kind in ("news", "blog") and rng.chance(0.3):
        t.base_href = rng.pick([f"https://static.{domain}/articles/{TOKEN}/", "/amp/"])
    title = f"{lang.caption(rng)[:60]} \u2013 {site['name']}"
    title = title[:1].upper() + title[1:]
    t.title = norm(title)
    t.html_lang = rng.pick([lang_code, lang_code, {"en": "en-US", "fr": "fr-FR", "de": "de-DE",
                                                   "ja": "ja-JP", "ko": "ko-KR",
                                                   "zh": "zh-CN"}[lang_code], None])
    if t.html_lang and rng.chance(0.1):
        t.html_lang = t.html_lang.upper()
    target = target_bytes or rng.int(kb_min * 1024, kb_max * 1024)

    b = Builder(rng, lang, site, CHARSETS[charset][0])
    trap = lang.foreign_alt(rng)  # this alt will be used and also sits in a script string
    head(b, t, meta_label, title, target)
    b.raw(f'<script>\n{js_block(rng, trap, target)}\n</script>\n')
    b.raw("</head>\n")
    b.raw(f'<body class="{kind} lang-{lang_code}">\n')
    page_header(b, t)
    # The trap image: its alt text is inside a <script> string but nowhere in visible text.
    b.para()
    b.img("noctx", trap, lone=True)
    body = {"blog": blog_body, "news": news_body, "shop": shop_body, "gallery": gallery_body,
            "forum": forum_body}[kind]
    foot = Builder(rng, lang, site, CHARSETS[charset][0])  # built first: its size is known
    foot.k = 10000
    page_footer(foot, t)
    foot.raw("</body>\n</html>\n")
    body(b, t, target - foot.size - 1000)
    t.images_before_filler = len(b.images)
    if filler_bytes:  # --bad's huge page: a log table pushes the footer past the HTML cap
        row = "<tr><td>-</td><td>ok</td></tr>\n"  # one short row: compresses ~1000:1
        n = max(0, filler_bytes - b.size) // len(row) + 1
        b.raw('<table class="log">\n' + row * n + "</table>\n")
    b.parts += foot.parts
    b.vis += foot.vis
    b.images += foot.images
    finish(t, b)
    return t


def head(b, t, meta_label, title, target):
    rng = b.rng
    doctype = rng.pick(["<!DOCTYPE html>", "<!doctype html>",
                        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'])
    lang_attr = f' lang="{t.html_lang}"' if t.html_lang else ""
    b.raw(f"{doctype}\n<html{lang_attr}>\n<head>\n")
    if meta_label:
        if rng.chance(0.6):
            b.raw(f'<meta charset="{meta_label}">\n')
        else:
            b.raw(f'<meta http-equiv="Content-Type" content="text/html; charset={meta_label}">\n')
    b.raw('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    b.raw(f"<title>{esc_text(title, rng)}</title>\n")
    b.raw(f'<meta property="og:image" content="https://{t.site["host"]}/og/{TOKEN}.jpg">\n')
    b.raw(f'<meta name="description" content="{esc_attr(b.lang.sentence(rng))}">\n')
    if t.base_href:
        b.raw(f'<base href="{t.base_href}">\n')
    b.raw('<link rel="stylesheet" href="/static/css/site.min.css?v=3">\n')
    b.raw(f'<link rel="icon" href="/favicon.ico">\n<style>\n{css_block(rng, rng.int(target // 2500, target // 700))}\n'
          f"</style>\n")
    b.raw('<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article",'
          f'"headline":"{t.kind} {TOKEN}","image":["https://{t.site["host"]}/ld/{TOKEN}.jpg"]}}'
          "</script>\n")
    b.raw("<!-- <img src=\"/old/header-2019.jpg\" alt=\"old header\"> removed in redesign -->\n")


def page_header(b, t):
    rng = b.rng
    b.raw('<header class="site-header">\n<a class="logo" href="/">')
    b.img("noctx", f"{t.site['name']} logo", mode="src", lone=False)
    b.raw("</a>\n<nav><ul>\n")
    for item in NAV[: rng.int(6, len(NAV))]:
        b.raw(f'<li><a href="/{item.lower().replace(" ", "-")}/">')
        b.text(item)
        b.raw("</a>" + ("</li>\n" if rng.chance(0.5) else "\n"))
    b.raw("</ul></nav>\n")
    b.svg_icon()
    b.raw("\n</header>\n<main id=\"main\">\n")


def page_footer(b, t):
    rng = b.rng
    b.raw("</main>\n<footer>\n<ul class=\"footer-links\">\n")
    for item in NAV:
        b.raw(f'<li><a href="/{item.lower().replace(" ", "-")}/">')
        b.text(item)
        b.raw("</a>\n")
    b.raw("</ul>\n<p class=\"copy\">")
    b.text(f"\u00a9 2024 {t.site['name']}. All rights reserved.")
    b.raw("</p>\n")
    for net in ("facebook", "x", "instagram"):
        b.raw(f'<a href="https://{net}.example/share"><img src="/static/icons/{net}.svg" '
              f'alt="" width="20" height="20"></a>\n')
        b.images.append({"ref": f"/static/icons/{net}.svg", "via": "src",
                         "src": f"/static/icons/{net}.svg", "mode": "src", "alt": "",
                         "alt_mode": "empty", "skip": None, "figcaption": None,
                         "in_picture": False, "width": 20, "height": 20})
    b.img("empty", "", width=1, height=1, mode="tracker", lone=True)
    b.raw("</footer>\n<script async src=\"https://stats.example/analytics.js\"></script>\n")


def sidebar(b):
    rng = b.rng
    b.raw('<aside class="sidebar">\n<h3>')
    b.text(rng.pick(["Recent posts", "Most read", "Related"]))
    b.raw("</h3>\n<ul>\n")
    for _ in range(rng.int(3, 6)):
        b.raw(f'<li><a href="/p/{rng.int(100, 999)}/">')
        b.img(rng.pick(["none", "empty"]), "", width=80, height=80,
              mode=rng.pick(["src", "lazy"]))
        b.text(b.lang.sentence(rng))
        b.raw("</a>\n")
    b.raw("</ul>\n</aside>\n")


def blog_body(b, t, target):
    rng, lang = b.rng, b.lang
    b.raw('<article class="post">\n')
    b.el("h1", t.title.split(" \u2013 ")[0])
    b.raw('<p class="byline">')
    b.text(f"{rng.pick(EN['names'])} \u00b7 {rng.int(1, 28)} {rng.pick(EN['months'])} 2024")
    b.raw("</p>\n")
    while b.size < target * 0.6:
        k = rng.f()
        if k < 0.12:
            b.content_image()
        elif k < 0.75:
            b.para()
        elif k < 0.85:
            b.el("h2", lang.sentence(rng)[:50])
        elif k < 0.93:
            b.raw("<ul>\n")
            for _ in range(rng.int(3, 7)):
                b.el("li", lang.sentence(rng), close=False)
            b.raw("</ul>\n")
        else:
            b.raw("<blockquote>")
            b.text(lang.sentence(rng))
            b.raw("</blockquote>\n")
    b.raw("</article>\n")
    sidebar(b)
    comments(b, target)


def comments(b, target):
    """Avatars whose alt is the commenter's name, written right next to them (in context)."""
    rng = b.rng
    b.raw('<section id="comments">\n<h3>')
    b.text("Comments")
    b.raw("</h3>\n<ol>\n")
    for _ in range(rng.int(2, 8)):
        if b.size > target - 1500:
            break
        who = rng.pick(EN["names"])
        b.raw('<li class="comment"><div class="avatar">')
        b.img("ctx", who, width=48, height=48, mode=rng.pick(["src", "lazy"]))
        b.raw('</div><cite>')
        b.text(who)
        b.raw("</cite>\n<p>")
        b.text(b.lang.para_text(rng, rng.int(1, 3)))
        b.raw("\n")
    b.raw("</ol>\n</section>\n")
    while b.size < target:
        b.para()


def news_body(b, t, target):
    rng, lang = b.rng, b.lang
    b.raw('<div class="ticker"><span>')
    b.text("Breaking: " + lang.sentence(rng))
    b.raw("</span></div>\n<article>\n")
    b.el("h1", t.title.split(" \u2013 ")[0])
    b.raw('<p class="lede"><strong>')
    b.text(lang.sentence(rng))
    b.raw("</strong></p>\n")
    b.raw('<figure class="hero">\n')
    cap = lang.caption(rng)
    b.fig = norm(cap)
    b.img("ctx", cap, mode="picture", lone=True)  # alt = the figcaption shown below it
    b.el("figcaption", cap)
    b.fig = None
    b.raw("</figure>\n")
    while b.size < target * 0.85:
        k = rng.f()
        if k < 0.1:
            b.content_image()
        elif k < 0.8:
            b.para()
        elif k < 0.9:
            results_table(b)
        else:
            b.el("h2", lang.sentence(rng)[:60])
    b.raw("</article>\n<section class=\"related\">\n<ul>\n")
    for _ in range(rng.int(3, 8)):
        b.raw(f'<li><a href="/local/story-{rng.int(1000, 9999)}.html">')
        b.img(rng.pick(["none", "empty", "noctx"]), lang.foreign_alt(rng), mode="lazy")
        b.raw("<span>")
        b.text(lang.sentence(rng))
        b.raw("</span></a>\n")
    b.raw("</ul>\n</section>\n")
    while b.size < target:
        b.para()


def results_table(b):
    rng = b.rng
    b.raw('<table class="results">\n<thead><tr><th>')
    b.text("Town")
    b.raw("<th>")
    b.text("Votes")
    b.raw("</tr></thead>\n<tbody>\n")
    for _ in range(rng.int(3, 8)):
        b.raw("<tr><td>")
        b.text(rng.pick(EN["towns"]))
        b.raw("<td>")
        b.text(f"{rng.int(100, 99999):,}")
        b.raw("\n")
    b.raw("</tbody></table>\n")


def shop_body(b, t, target):
    rng, lang = b.rng, b.lang
    b.raw('<nav class="breadcrumbs"><a href="/">')
    b.text("Home")
    b.raw("</a> &rsaquo; <a href=\"/c/outdoor\">")
    b.text("Outdoor")
    b.raw("</a></nav>\n")
    b.vis.append("\u203a")
    b.el("h1", t.title.split(" \u2013 ")[0])
    b.raw('<ul class="product-grid">\n')
    for _ in range(rng.int(6, 24)):
        if b.size > target - 1000:
            break
        product = lang.caption(rng)
        b.raw('<li class="product"><a href="/products/item-%d">' % rng.int(1, 99999))
        am = rng.weighted([("ctx", 5), ("empty", 1), ("noctx", 2), ("none", 1)])
        b.img(am, product if am == "ctx" else lang.foreign_alt(rng),
              mode=rng.pick(["src_srcset_w", "srcset_w", "lazy", "lazy_srcset", "src"]))
        b.raw("</a>\n<h3>")
        b.text(product)
        b.raw('</h3>\n<span class="price">')
        b.text(f"\u20ac{rng.int(5, 400)},{rng.int(10, 99)}")
        b.raw("</span>\n")  # </li> omitted: the next <li> closes it
    b.raw("</ul>\n<section class=\"reviews\">\n")
    while b.size < target:
        b.para()
    b.raw("</section>\n")


def gallery_body(b, t, target):
    rng, lang = b.rng, b.lang
    b.el("h1", t.title.split(" \u2013 ")[0])
    b.raw('<div class="grid">\n')
    for _ in range(rng.int(8, 40)):
        if b.size > target - 1000:
            break
        cap = lang.caption(rng)
        am = rng.weighted([("ctx", 5), ("noctx", 2), ("none", 2), ("empty", 1)])
        b.raw('<figure class="tile">\n')
        b.fig = norm(cap)
        before = rng.chance(0.3)
        if before:
            b.el("figcaption", cap)
        b.img(am, cap if am == "ctx" else lang.foreign_alt(rng), lone=True,
              mode=rng.pick(["lazy", "lazy_srcset", "srcset_x", "src", "picture_nosrc"]))
        if not before:
            b.el("figcaption", cap)
        b.fig = None
        b.raw("</figure>\n")
        if rng.chance(0.2):
            b.para(n=1)
    b.raw("</div>\n")
    while b.size < target:
        b.para()


def forum_body(b, t, target):
    """Old-style markup: tables, upper-case tags, unquoted attributes, smilies."""
    rng, lang = b.rng, b.lang
    b.raw("<TABLE WIDTH=100% CELLPADDING=4>\n")
    for post in range(1, rng.int(8, 25) + 1):
        if b.size > target - 3000:
            break
        who = rng.pick(EN["names"])
        b.raw(f"<TR><TD CLASS=author VALIGN=top>")
        b.text(who)
        b.raw("<BR>")
        b.raw(f"<IMG SRC=/forum/avatars/{TOKEN}-{post}.png ALT=\"{esc_attr(who)}\" "
              f"WIDTH=64 HEIGHT=64>")
        b.images.append({"ref": f"/forum/avatars/{TOKEN}-{post}.png", "via": "src",
                         "src": f"/forum/avatars/{TOKEN}-{post}.png", "mode": "src",
                         "alt": norm(who), "alt_mode": "ctx", "skip": None, "figcaption": None,
                         "in_picture": False, "width": 64, "height": 64})
        b.raw(f"<BR><SMALL>Joined: {rng.pick(EN['months'])} 20{rng.int(10, 23)}<BR>"
              f"Posts: {rng.int(1, 9000)}</SMALL>\n<TD CLASS=post>"
              '<div class="postbuttons"><a href="posting.php?mode=quote">Quote</a> '
              '<a href="posting.php?mode=reply">Reply</a> <a href="report.php">Report</a>'
              "</div>\n")
        b.text(lang.para_text(rng, rng.int(3, 12)) + " ")
        if rng.chance(0.4):
            b.raw("<img src='images/smilies/smile.gif' alt=':)' width=15 height=15>")
            b.images.append({"ref": "images/smilies/smile.gif", "via": "src",
                             "src": "images/smilies/smile.gif", "mode": "src", "alt": ":)",
                             "alt_mode": "noctx", "skip": None, "figcaption": None,
                             "in_picture": False, "width": 15, "height": 15})
        if rng.chance(0.1):
            b.raw("<BR>")
            b.content_image()
        b.raw('\n<div class="signature">____<br>')
        b.text(lang.sentence(rng))
        b.raw("</div>\n")
    b.raw("</TABLE>\n<h3>")
    b.text("Similar topics")
    b.raw("</h3>\n")
    while b.size < target:
        b.para()


def finish(t, b):
    """Encodes the page, checks the alt flags against the visible text, resolves image URLs."""
    codec = CHARSETS[t.charset][0]
    body = "".join(b.parts).encode(codec, "xmlcharrefreplace")
    t.html = (b"\xef\xbb\xbf" if t.decl == "bom" else b"") + body
    t.token_count = t.html.count(BTOKEN)
    vis = norm(" ".join(b.vis)).lower()
    base = urljoin(t.url, t.base_href) if t.base_href else t.url
    images = []
    for im in b.images:
        alt = im["alt"]
        in_ctx = im["alt_mode"] == "ctx" and bool(alt)
        if in_ctx and alt.lower() not in vis:
            raise AssertionError(f"in-context alt missing from text: {alt!r}")
        if im["alt_mode"] == "noctx" and alt.lower() in vis:
            raise AssertionError(f"foreign alt occurs in text: {alt!r}")
        url = None if im["skip"] == "data_uri" or im["ref"] is None else \
            urljoin(base, im["ref"].strip())
        images.append({"url": url, "via": im["via"], "src": im["src"], "alt": alt,
                       "skip": im["skip"], "figcaption": im["figcaption"],
                       "alt_in_context": in_ctx, "in_picture": im["in_picture"],
                       "width": im["width"], "height": im["height"]})
    lang = (t.html_lang or "").lower()
    meta = {"kind": t.kind, "charset": t.charset, "charset_declared": t.decl,
            "header_charset_label": t.header_label, "meta_conflict": t.meta_conflict,
            "lang": lang, "title": t.title, "base_href": t.base_href, "images": images}
    # '"kind": ...}' is appended after each instance's own fields.
    t.meta_json = json.dumps(meta, ensure_ascii=False)[1:]
    meta["images"] = len(images)
    t.meta_json_short = json.dumps(meta, ensure_ascii=False)[1:]
    t.image_count = len(images)
    t.expected_images = sum(1 for i in images if i["skip"] is None)


# The first pooled pages cover every language, local charset and page kind for sure.
STRATA = [("en", "blog", None), ("ja", "news", "shift_jis"), ("fr", "news", "windows-1252"),
          ("ko", "news", "euc-kr"), ("de", "forum", "windows-1252"), ("zh", "blog", "gbk"),
          ("en", "shop", "windows-1252"), ("ja", "gallery", "utf-8"), ("en", "gallery", None),
          ("en", "forum", None), ("zh", "news", "utf-8"), ("ko", "blog", "utf-8")]


def build_pool(seed, n, kb_min, kb_max):
    rng = Rng(f"pool:{seed}")
    pool = []
    for i in range(n):
        lang, kind, cs = STRATA[i] if i < len(STRATA) else (None, None, None)
        pool.append(build_template(rng, i, kb_min, kb_max, lang_code=lang, kind=kind, charset=cs))
    return pool


# ----------------------------------------------------------------------------------------------
# WARC writing (WARC 1.1 §4-§6). Records are assembled in memory, compressed per record (one
# gzip member each, WARC 1.1 Annex D.2), as one stream, or not at all, and written in large
# chunks.


def b32sha1(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


class WarcOut:
    def __init__(self, path, compression, level):
        self.f = open(path, "wb")
        self.compression, self.level = compression, level
        self.pos = 0       # bytes in the file so far
        self.upos = 0      # uncompressed WARC bytes so far
        self.buf, self.buflen = [], 0
        self.z = zlib.compressobj(level, zlib.DEFLATED, 31) if compression == "file" else None

    def _emit(self, data):
        self.buf.append(data)
        self.buflen += len(data)
        self.pos += len(data)
        if self.buflen >= 8 << 20:
            self.f.write(b"".join(self.buf))
            self.buf, self.buflen = [], 0

    def gz(self, data):
        c = zlib.compressobj(self.level, zlib.DEFLATED, 31)
        return c.compress(data) + c.flush()

    def record(self, fields, block):
        """Writes one record; returns (offset, uncompressed offset). `block` may be a list."""
        if isinstance(block, list):
            block = b"".join(block)
        head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields if v is not None)
        head += f"Content-Length: {len(block)}\r\n\r\n"
        data = head.encode("utf-8") + block + b"\r\n\r\n"
        return self.raw(data)

    def raw(self, data, compress=True):
        off, uoff = (0 if self.compression == "file" else self.pos), self.upos
        self.upos += len(data)
        if self.compression == "record" and compress:
            self._emit(self.gz(data))
        elif self.compression == "file":
            self._emit(self.z.compress(data))
        else:
            self._emit(data)
        return off, uoff

    def close(self):
        if self.z is not None:
            self._emit(self.z.flush())
        self.f.write(b"".join(self.buf))
        self.f.close()


def http_date(ts):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(ts))


def warc_date(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def chunked(body, rng):
    out, i = [], 0
    while i < len(body):
        n = rng.int(1024, 16384)
        piece = body[i:i + n]
        out.append(b"%x\r\n" % len(piece) if rng.chance(0.8) else b"%X\r\n" % len(piece))
        out.append(piece)
        out.append(b"\r\n")
        i += n
    out.append(b"0\r\n\r\n")
    return b"".join(out)


SERVERS = ["nginx/1.24.0", "Apache/2.4.57 (Debian)", "cloudflare", "Microsoft-IIS/10.0", "LiteSpeed"]


class Session:
    """One WARC file being written: ids, dates and the record helpers."""

    def __init__(self, out, rng, filename, t0, level):
        self.out, self.rng, self.filename, self.ts, self.level = out, rng, filename, t0, level
        self.counts = {}
        self.warcinfo_id = None

    def rid(self):
        return f"<urn:uuid:{self.rng.uuid()}>"

    def tick(self):
        self.ts += self.rng.int(0, 3)
        return self.ts

    def write(self, wtype, fields, block):
        self.counts[wtype] = self.counts.get(wtype, 0) + 1
        return self.out.record([("WARC-Type", wtype)] + fields, block)

    def warcinfo(self, extra=""):
        self.warcinfo_id = self.rid()
        info = ("software: warcpairs gen_sample_warc.py/" + GEN_VERSION + "\r\n"
                "format: WARC File Format 1.1\r\n"
                "conformsTo: https://iipc.github.io/warc-specifications/specifications/"
                "warc-format/warc-1.1/\r\n"
                "isPartOf: warcpairs-sample\r\n"
                "description: synthetic pages for tests; see docs/sample-data.md\r\n" + extra)
        return self.write("warcinfo", [
            ("WARC-Date", warc_date(self.ts)), ("WARC-Record-ID", self.warcinfo_id),
            ("WARC-Filename", self.filename),
            ("Content-Type", "application/warc-fields")], info.encode())

    def exchange(self, uri, status_line, headers, body, chunk=False, cenc=False, wtype="response",
                 write_request=True, metadata=False, cl_delta=None):
        """request + response (+ metadata) for one fetch. Returns a dict of what was written."""
        rng = self.rng
        ts = self.tick()
        resp_id = self.rid()
        payload = body
        if cenc:
            c = zlib.compressobj(self.level, zlib.DEFLATED, 31)
            payload = c.compress(body) + c.flush()
        hdr = [status_line, f"Date: {http_date(ts)}", f"Server: {rng.pick(SERVERS)}"] + headers
        if cenc:
            hdr.append("Content-Encoding: gzip")
            hdr.append("Vary: Accept-Encoding")
        wire = payload
        if chunk:
            hdr.append("Transfer-Encoding: chunked")
            wire = chunked(payload, rng)
        else:
            hdr.append(f"Content-Length: {len(payload)}")
        hdr.append("Connection: close")
        http_head = ("\r\n".join(hdr) + "\r\n\r\n").encode("latin-1")
        block = http_head + wire
        host = uri.split("/")[2]
        date = warc_date(ts)
        req_off = None
        if write_request:
            path = "/" + uri.split("/", 3)[3] if uri.count("/") >= 3 else "/"
            req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
                   "User-Agent: Mozilla/5.0 (compatible; warcpairs-sample/1.0)\r\n"
                   "Accept: text/html,application/xhtml+xml,image/avif,image/webp,*/*;q=0.8\r\n"
                   "Accept-Encoding: gzip, deflate\r\nAccept-Language: en-GB,en;q=0.7\r\n\r\n"
                   ).encode()
            req_off, _ = self.write("request", [
                ("WARC-Date", date), ("WARC-Record-ID", self.rid()),
                ("WARC-Target-URI", uri), ("WARC-Concurrent-To", resp_id),
                ("WARC-Warcinfo-ID", self.warcinfo_id),
                ("Content-Type", "application/http;msgtype=request"),
                ("WARC-Block-Digest", b32sha1(req))], req)
        fields = [("WARC-Date", date), ("WARC-Record-ID", resp_id), ("WARC-Target-URI", uri),
                  ("WARC-IP-Address", f"192.0.2.{rng.int(1, 254)}"),
                  ("WARC-Warcinfo-ID", self.warcinfo_id),
                  ("Content-Type", "application/http;msgtype=response"),
                  ("WARC-Block-Digest", b32sha1(block)),
                  ("WARC-Payload-Digest", b32sha1(payload))]
        if cl_delta is not None:  # --bad: a lying Content-Length (the record is built by hand)
            return self.lying_record(wtype, fields, block, len(block) + cl_delta, resp_id, uri)
        off, uoff = self.write(wtype, fields, block)
        if metadata:
            meta = (f"via: https://{host}/\r\nhopsFromSeed: L\r\n"
                    f"fetchTimeMs: {rng.int(20, 2000)}\r\ncharsetDetected: n/a\r\n").encode()
            self.write("metadata", [("WARC-Date", date), ("WARC-Record-ID", self.rid()),
                                    ("WARC-Target-URI", uri), ("WARC-Concurrent-To", resp_id),
                                    ("Content-Type", "application/warc-fields")], meta)
        return {"record_id": resp_id, "offset": off, "uoffset": uoff, "date": date,
                "payload_digest": fields[-1][1], "request_offset": req_off,
                "payload_bytes": len(payload)}

    def lying_record(self, wtype, fields, block, cl, resp_id, uri):
        head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in [("WARC-Type", wtype)] + fields)
        head += f"Content-Length: {cl}\r\n\r\n"
        off, uoff = self.out.raw(head.encode() + block + b"\r\n\r\n")
        return {"record_id": resp_id, "offset": off, "uoffset": uoff, "uri": uri,
                "actual_length": len(block), "declared_length": cl}

    def revisit(self, uri, ref_date, digest):
        ts = self.tick()
        block = (f"HTTP/1.1 200 OK\r\nDate: {http_date(ts)}\r\n"
                 "Content-Type: text/html; charset=utf-8\r\nETag: \"5f2a-1\"\r\n\r\n").encode()
        return self.write("revisit", [
            ("WARC-Date", warc_date(ts)), ("WARC-Record-ID", self.rid()), ("WARC-Target-URI", uri),
            ("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
            ("WARC-Refers-To-Target-URI", uri), ("WARC-Refers-To-Date", ref_date),
            ("WARC-Payload-Digest", digest), ("WARC-Truncated", None),
            ("Content-Type", "application/http;msgtype=response")], block)


# ----------------------------------------------------------------------------------------------
# One file: pages from the pool, plus the other records a crawl leaves behind.


def jpeg_pool(rng, kb_max):
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return [head + rng.bytes(rng.int(20 * kb_max, 120 * kb_max)) + b"\xff\xd9" for _ in range(8)]


def content_type_header(t, rng):
    if not t.header_label:
        return "Content-Type: text/html"
    k = rng.f()
    if k < 0.6:
        return f"Content-Type: text/html; charset={t.header_label}"
    if k < 0.8:
        return f"Content-Type: text/html;charset={t.header_label}"
    return f'Content-Type: text/html; charset="{t.header_label}"'


class Manifest:
    """Streams <warc>.manifest.json: pages are written as they are generated (bounded memory)."""

    def __init__(self, path, head, images=True):
        self.f = open(path, "w", encoding="utf-8")
        self.with_images = images
        self.n = 0
        self.f.write("{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n"
                                     for k, v in head.items()))
        self.f.write('  "pages": [\n')
        self.pages = self.images = self.expected = self.ctx = 0
        self.skipped = {"data_uri": 0, "tracker": 0}

    def page(self, inst, t, pid):
        meta = t.meta_json if self.with_images else t.meta_json_short
        self.f.write((",\n" if self.n else "") + "    " + json.dumps(inst)[:-1] + ", " +
                     meta.replace(TOKEN, pid))
        self.n += 1
        self.images += t.image_count
        self.expected += t.expected_images
        self.ctx += t.ctx_count
        for k in self.skipped:
            self.skipped[k] += t.skip_counts[k]

    def close(self, tail):
        self.f.write("\n  ],\n")
        items = list(tail.items())
        for i, (k, v) in enumerate(items):
            self.f.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                         + (",\n" if i + 1 < len(items) else "\n"))
        self.f.write("}\n")
        self.f.close()


def write_page(sess, man, t, pid, mode=None, metadata=None, defect=None, extra=None):
    rng = sess.rng
    body = t.html.replace(BTOKEN, pid.encode()) if t.token_count else t.html
    uri = t.url.replace(TOKEN, pid)
    mode = mode or rng.weighted([("identity", 6), ("chunked", 2), ("gzip", 2), ("chunked+gzip", 1)])
    headers = [content_type_header(t, rng), "Cache-Control: max-age=600",
               f"Set-Cookie: sid={rng.int(10 ** 8, 10 ** 9)}; Path=/; HttpOnly"]
    info = sess.exchange(uri, "HTTP/1.1 200 OK", headers, body, chunk="chunked" in mode,
                         cenc="gzip" in mode,
                         metadata=rng.chance(0.4) if metadata is None else metadata)
    inst = {"uri": uri, "record_id": info["record_id"], "offset": info["offset"],
            "uoffset": info["uoffset"], "date": info["date"], "http_status": 200,
            "content_type": "text/html",
            "transfer_encoding": "chunked" if "chunked" in mode else None,
            "content_encoding": "gzip" if "gzip" in mode else None,
            "html_bytes": len(body), "defect": defect}
    if extra:
        inst.update(extra)
    man.page(inst, t, pid)
    return uri, info


def write_extras(sess, t, pid, jpegs, recent, non200):
    """Non-HTML fetches, revisits and a few 404/301 pages around a page."""
    rng = sess.rng
    host = t.url.split("/")[2]
    scheme = t.url.split(":")[0]
    if rng.chance(0.5):
        urls = [u for u in t.image_urls if u]
        uri = rng.pick(urls).replace(TOKEN, pid) if urls else f"{scheme}://{host}/i/{pid}.jpg"
        sess.exchange(uri, "HTTP/1.1 200 OK", ["Content-Type: image/jpeg"], rng.pick(jpegs),
                      metadata=False)
    if rng.chance(0.3):
        body = json.dumps({"post": pid, "comments": [{"id": i, "likes": rng.int(0, 50)}
                                                     for i in range(rng.int(1, 20))]}).encode()
        sess.exchange(f"{scheme}://{host}/api/v1/comments?post={pid}", "HTTP/1.1 200 OK",
                      ["Content-Type: application/json"], body, chunk=rng.chance(0.3))
    if rng.chance(0.2):
        css = css_block(rng, rng.int(20, 200)).encode()
        sess.exchange(f"{scheme}://{host}/static/css/site.min.css?v={pid}", "HTTP/1.1 200 OK",
                      ["Content-Type: text/css"], css, cenc=rng.chance(0.5))
    if recent and rng.chance(0.04):
        uri, date, digest = rng.pick(recent)
        sess.revisit(uri, date, digest)
    k = rng.f()
    if k < 0.025:
        uri = f"{scheme}://{host}/wp-content/missing-{pid}.html"
        body = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found" \
               b"</h1><p>The requested URL was not found on this server.</p></body></html>\n"
        info = sess.exchange(uri, "HTTP/1.1 404 Not Found", ["Content-Type: text/html"], body)
        non200.append({"uri": uri, "http_status": 404, "offset": info["offset"],
                       "record_id": info["record_id"]})
    elif k < 0.05:
        uri = f"{scheme}://{host}/go/{pid}"
        body = b"<html><body>Moved <a href=\"/\">here</a></body></html>"
        info = sess.exchange(uri, "HTTP/1.1 301 Moved Permanently",
                             [f"Location: {scheme}://{host}/", "Content-Type: text/html"], body)
        non200.append({"uri": uri, "http_status": 301, "offset": info["offset"],
                       "record_id": info["record_id"]})


def prepare(t):
    imgs = json.loads("{" + t.meta_json)["images"]
    t.image_urls = [i["url"] for i in imgs if i["skip"] is None]
    t.ctx_count = sum(1 for i in imgs if i["alt_in_context"])
    t.skip_counts = {k: sum(1 for i in imgs if i["skip"] == k) for k in ("data_uri", "tracker")}


_POOL = {}


def get_pool(args):
    key = (args.seed, args.pool, args.html_kb_min, args.html_kb_max)
    if key not in _POOL:
        pool = build_pool(args.seed, args.pool, args.html_kb_min, args.html_kb_max)
        for t in pool:
            prepare(t)
        _POOL[key] = pool
    return _POOL[key]


def suffix(compression):
    return {"record": ".warc.gz", "file": ".warc.gz", "none": ".warc"}[compression]


def generate_file(args, fi):
    pool = get_pool(args)
    rng = Rng(f"file:{args.seed}:{fi}")
    name = f"sample-{args.seed}-{fi:05d}{suffix(args.compression)}"
    path = os.path.join(args.out, name)
    out = WarcOut(path, args.compression, args.level)
    t0 = 1709251200 + args.seed * 86400 + fi * 3600  # 2024-03-01 + seed days
    sess = Session(out, rng, name, t0, args.level)
    man = Manifest(path + ".manifest.json", head_fields(args, name, fi),
                   images=args.manifest == "full")
    jpegs = jpeg_pool(rng, args.html_kb_max)
    sess.warcinfo()
    recent, non200, seq = [], [], 0
    limit = int(args.size_mb * (1 << 20))
    while out.pos < limit and (args.pages is None or seq < args.pages):
        seq += 1
        pid = f"{fi + 1}{seq:06d}"
        t = pool[int(rng.f() * len(pool))]
        uri, info = write_page(sess, man, t, pid)
        recent.append((uri, info["date"], info["payload_digest"]))
        if len(recent) > 50:
            recent.pop(0)
        write_extras(sess, t, pid, jpegs, recent, non200)
    out.close()
    man.close(tail_fields(sess, man, non200, [], os.path.getsize(path)))
    return name, os.path.getsize(path), man.n


def head_fields(args, name, fi):
    return {"generator": f"gen_sample_warc.py/{GEN_VERSION}", "warc": name, "seed": args.seed,
            "file_index": fi, "compression": args.compression,
            "offset_means": {"record": "start of the record's gzip member in the file",
                             "file": "0: the whole file is one gzip member (see uoffset)",
                             "none": "byte offset of 'WARC/1.1' in the file"}[args.compression],
            "uoffset_means": "byte offset of the record in the uncompressed WARC stream"}


def tail_fields(sess, man, non200, defects, size):
    by_type = dict(sorted(sess.counts.items()))
    return {"non_200_html": non200, "defects": defects,
            "counts": {"records": sum(by_type.values()), "by_type": by_type,
                       "html_responses": man.n + len(non200), "pages": man.n,
                       "images": man.images, "images_expected": man.expected,
                       "images_skipped": man.skipped, "images_alt_in_context": man.ctx},
            "file_bytes": size}


# ----------------------------------------------------------------------------------------------
# --bad: known defects at known offsets, each followed by good records that must be recovered.


class MemOut:
    """Stands in for WarcOut to capture a record's uncompressed bytes instead of writing them."""

    def __init__(self):
        self.data = []

    def record(self, fields, block):
        if isinstance(block, list):
            block = b"".join(block)
        head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields if v is not None)
        head += f"Content-Length: {len(block)}\r\n\r\n"
        self.data.append(head.encode("utf-8") + block + b"\r\n\r\n")
        return 0, 0


def captured(sess, fn):
    """Runs fn with records captured, not written nor counted (they become defects)."""
    real, sess.out = sess.out, MemOut()
    counts = dict(sess.counts)
    try:
        info = fn()
    finally:
        mem, sess.out, sess.counts = sess.out, real, counts
    return mem.data, info


def garbage(rng, n):
    g = bytearray(rng.bytes(n))
    for i in range(len(g)):  # no byte that could start a gzip member or a WARC header
        if g[i] in (0x1F, 0x57):
            g[i] = 0x20
    return bytes(g)


def huge_template(args):
    rng = Rng(f"huge:{args.seed}")
    t = build_template(rng, 0, args.html_kb_min, args.html_kb_max, lang_code="en", kind="blog",
                       charset="utf-8",
                       filler_bytes=int(args.huge_mb * (1 << 20)))
    prepare(t)
    return t


def invalid_utf8(t, pid):
    body = t.html.replace(BTOKEN, pid.encode())
    bad = [b"\xff", b"\xc3(", b"\xe2\x82", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]
    parts = body.split(b"<p>")
    for i in range(1, len(parts), 3):
        parts[i] = bad[i % len(bad)] + parts[i]
    return b"<p>".join(parts)


def write_bad(args, compression):
    pool = get_pool(args)
    name = "bad-inputs" + suffix(compression)
    path = os.path.join(args.out, name)
    rng = Rng(f"bad:{args.seed}:{compression}")
    out = WarcOut(path, compression, args.level)
    sess = Session(out, rng, name, 1709251200 + args.seed * 86400, args.level)
    man = Manifest(path + ".manifest.json", head_fields(
        argparse.Namespace(seed=args.seed, compression=compression), name, -1))
    gz = compression == "record"
    defects, seq = [], [0]
    good = [t for t in pool if t.charset == "utf-8" and t.decl in ("header", "both")]

    def pid():
        seq[0] += 1
        return f"9{seq[0]:06d}"

    def good_page(n=1):
        for _ in range(n):
            write_page(sess, man, pool[int(rng.f() * len(pool))], pid(), metadata=True)

    def defect(cat, off, uoff, detail, **kw):
        defects.append(dict({"category": cat, "offset": off, "uoffset": uoff, "detail": detail}, **kw))

    sess.warcinfo("comment: records with injected defects, listed in the manifest\r\n")
    good_page(2)
    if gz:  # a gzip member cut short (a crawler killed mid-write, then restarted)
        recs, info = captured(sess, lambda: sess.exchange(
            f"https://harbour-gazette.example/cut-{seq[0]}.html", "HTTP/1.1 200 OK",
            ["Content-Type: text/html"], pool[0].html, write_request=False))
        member = out.gz(recs[0])
        off, _ = out.raw(member[: len(member) * 6 // 10], compress=False)
        defect("gzip", off, None, "gzip member truncated at 60% of its length",
               record_id=info["record_id"])
        good_page()
    g = garbage(rng, 777)
    off, uoff = out.raw(g, compress=False)
    defect("garbage", off, uoff, f"{len(g)} random bytes between records")
    good_page()
    for name_, delta in (("too long", 1000), ("too short", -500)):
        t = pool[int(rng.f() * len(pool))]
        p = pid()
        body = t.html.replace(BTOKEN, p.encode())
        info = sess.exchange(t.url.replace(TOKEN, p), "HTTP/1.1 200 OK",
                             [content_type_header(t, rng)], body, cl_delta=delta)
        defect("content-length", info["offset"], info["uoffset"],
               f"Content-Length {name_}: declared {info['declared_length']}, "
               f"block has {info['actual_length']} bytes",
               record_id=info["record_id"], uri=info["uri"],
               declared=info["declared_length"], actual=info["actual_length"])
        good_page()
    # binary bytes served as text/html
    p = pid()
    bt = Template()
    bt.html, bt.token_count, bt.url = rng.bytes(8192) + b"\x00" * 64, 0, \
        f"https://quietlane.example/download/{TOKEN}"
    bt.header_label, bt.image_count, bt.expected_images, bt.ctx_count = "utf-8", 0, 0, 0
    bt.skip_counts = {"data_uri": 0, "tracker": 0}
    bt.meta_json = bt.meta_json_short = ('"kind": "binary", "charset": "utf-8", "charset_declared": "header", '
                    '"header_charset_label": "utf-8", "meta_conflict": false, "lang": "", '
                    '"title": "", "base_href": null, "images": []}')
    uri, info = write_page(sess, man, bt, p, mode="identity", metadata=False, defect="binary")
    defect("binary", info["offset"], info["uoffset"], "8256 binary bytes (NULs) as text/html",
           record_id=info["record_id"], uri=uri)
    good_page()
    # huge page
    ht = huge_template(args)
    p = pid()
    uri, info = write_page(sess, man, ht, p, mode="identity", metadata=False, defect="huge",
                           extra={"images_within_8mib": ht.images_before_filler})
    defect("huge", info["offset"], info["uoffset"],
           f"{len(ht.html)} bytes of HTML (over the 8 MiB max_html_bytes)",
           record_id=info["record_id"], uri=uri)
    good_page()
    # invalid UTF-8 in a page that declares utf-8
    t = good[0] if good else pool[0]
    p = pid()
    body = invalid_utf8(t, p)
    t2 = Template()
    t2.__dict__.update(t.__dict__)
    t2.html, t2.token_count = body, 0
    uri, info = write_page(sess, man, t2, p, mode="identity", metadata=False, defect="utf8")
    defect("utf8", info["offset"], info["uoffset"], "invalid UTF-8 sequences in a utf-8 page",
           record_id=info["record_id"], uri=uri)
    good_page()
    if gz:  # a member whose deflate data is damaged in the middle
        recs, info = captured(sess, lambda: sess.exchange(
            f"https://harbour-gazette.example/flip-{seq[0]}.html", "HTTP/1.1 200 OK",
            ["Content-Type: text/html"], pool[1].html, write_request=False))
        member = bytearray(out.gz(recs[0]))
        mid = len(member) // 2
        for i in range(mid, mid + 16):
            member[i] ^= 0x5A
        off, _ = out.raw(bytes(member), compress=False)
        defect("gzip", off, None, "deflate data damaged (16 bytes flipped mid-member)",
               record_id=info["record_id"])
        good_page()
    # truncated final record
    recs, info = captured(sess, lambda: sess.exchange(
        "https://harbour-gazette.example/last.html", "HTTP/1.1 200 OK",
        ["Content-Type: text/html"], pool[2].html, write_request=False))
    cut = recs[0][: len(recs[0]) // 2]
    off, uoff = out.raw(cut)
    defect("truncated", off, uoff, f"final record cut to {len(cut)} of {len(recs[0])} bytes "
           "(its gzip member, if any, is complete)", record_id=info["record_id"])
    out.close()
    man.close(tail_fields(sess, man, [], defects, os.path.getsize(path)))
    return name, os.path.getsize(path), man.n


# ----------------------------------------------------------------------------------------------


def run_file(job):
    args, fi = job
    if fi == "bad":
        return [write_bad(args, "record"), write_bad(args, "none")]
    return [generate_file(args, fi)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--files", type=int, default=1, help="number of WARC files")
    ap.add_argument("--size-mb", type=float, default=5, help="approximate size of each file (MiB)")
    ap.add_argument("--pages", type=int, help="stop each file after this many pages")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compression", choices=["record", "none", "file"], default="record")
    ap.add_argument("--level", type=int, default=1, choices=range(1, 10), metavar="1-9",
                    help="zlib level (default 1)")
    ap.add_argument("--html-kb-min", type=int, default=50)
    ap.add_argument("--html-kb-max", type=int, default=100)
    ap.add_argument("--pool", type=int, default=48, help="distinct pages to vary (default 48)")
    ap.add_argument("--bad", action="store_true", help="also write bad-inputs.warc[.gz]")
    ap.add_argument("--huge-mb", type=float, default=12, help="size of the huge page in --bad")
    ap.add_argument("--manifest", choices=["full", "pages"], default="full",
                    help="pages: per-page entries carry an image count instead of the list")
    ap.add_argument("--jobs", type=int, default=0, help="processes (default: CPUs, max --files)")
    args = ap.parse_args(argv)
    if args.html_kb_min < 1 or args.html_kb_max < args.html_kb_min:
        ap.error("--html-kb-min must be >= 1 and <= --html-kb-max")
    if args.files < 0 or args.size_mb <= 0:
        ap.error("--files must be >= 0 and --size-mb > 0")
    os.makedirs(args.out, exist_ok=True)
    jobs = [(args, fi) for fi in range(args.files)] + ([(args, "bad")] if args.bad else [])
    nproc = args.jobs or min(len(jobs), os.cpu_count() or 1)
    t0 = time.time()
    if nproc > 1 and len(jobs) > 1:
        with Pool(nproc) as p:
            results = [r for rs in p.imap(run_file, jobs) for r in rs]
    else:
        results = [r for j in jobs for r in run_file(j)]
    dt = time.time() - t0
    total = sum(r[1] for r in results)
    for name, size, pages in results:
        print(f"{os.path.join(args.out, name)}\t{size} bytes\t{pages} pages")
    print(f"wrote {total / 1e6:.1f} MB in {dt:.1f} s ({total / 1e6 / max(dt, 1e-9):.1f} MB/s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
