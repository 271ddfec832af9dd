#!/usr/bin/env python3
"""Prints adversarial lines for the CLIP BPE parity test (UTF-8, one per line), on top of
adversarial.py: what CLIP's pipeline (NFC, \\s+ → " ", lowercase, added tokens, the Split regex,
ByteLevel, BPE with "</w>") could get wrong. The expectation is the reference tokenizer's output."""
import random
import sys

LINES = [
    # added tokens: written in any case (matched after Lowercase), glued, partial, repeated
    "<|startoftext|>a photo of a cat<|endoftext|>",
    "<|ENDOFTEXT|> <|EndOfText|> <|startoftext|><|startoftext|> <|endoftext <|endoftext|",
    "x<|endoftext|>y <<|endoftext|>> |<|startoftext|>| <|endoftext|>'s",
    "ΟΔΟΣ<|endoftext|>ΟΔΟΣ Σ<|endoftext|>",
    # contractions, in and out of words, upper case (lowercased first), curly apostrophes
    "it's don't you're we've I'm they'll he'd IT'S DON'T YOU'RE 'S 'll's ''s '''re",
    "rock'n'roll O'Neill's 's 't 're 've 'm 'll 'd 'x 'sam 'reve 'lll",
    "it’s don’t ‘quoted’ l'été c'est aujourd'hui",
    # NFC: decomposed, out-of-order marks, singletons, Hangul jamo, composition exclusions
    "Cafe\u0301 cre\u0300me A\u030a \u212b \u2126 \u212a e\u0327\u0301 e\u0301\u0327 a\u0323\u0302",
    "\u1100\u1161 \u1100\u1161\u11a8 \uac00\u11a8 \u1100\u1161\u11a8\u11a8 \u3131\u314f",
    "\u0958 \u0915\u093c \u0344 \u0f73 \u0f75 \u2adc \ufb1d \u0340\u0341 q\u0307\u0323",
    "\u0301start \u0327\u0301 a\u0301\u0301\u0301\u0301 \u05d0\u05b7\u05bc \u0b47\u0b3e \u09c7\u09be",
    # lowercasing that grows or needs context
    "İstanbul İZMİR DİYARBAKIR i̇ ẞ GROẞE Σ ΣΑΣ ΟΔΟΣ. ὈΔΥΣΣΕΎΣ ǅ ǈ ǋ ǲ",
    # white space of every kind between and inside pieces; U+FEFF (JS \s, not White_Space)
    "a\u00a0b\u2007c\u202fd\u3000e\u2028f\u2029g\u1680h\x85i\x0bj\x0ck\rl\tm  n",
    "\ufeffBOM at start, mid\ufeffword, \ufeff\ufeff!! \ufeff!\ufeff !\ufeff\ufeff\ufeff !!\ufeff\ufeff",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word\u00adsoft",
    # numbers are one digit per piece; letters of every script; marks break letter runs
    "1234567890 ١٢٣ ৪৫৬ ½ ² Ⅻ 3.14159 1,000,000 2024-01-01",
    "naïve résumé coöperate ﬁnance ﬀ Ǆ ǆ Ꭰ ꭰ",
    # emoji (multi-byte pieces BPE splits mid-character), CJK, symbols
    "I ❤️ NY 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇩🇪🇫🇷 1️⃣ #️⃣ 🧑🏿‍🚀 😀😃😄😁 🫨🩷🪿",
    "北京是中国的首都。東京タワー 𠮷野家 서울특별시 ภาษาไทย हिन्दी العربية עברית",
    "€100 £5 ¥300 ©2024 ®™ ° ± × ÷ √ ∞ ≈ ≠ ≤ ≥ ~~~ ... --- ___ !!! ??? ... “”‘’«»",
    # long pieces: letters, punctuation, digits, multi-byte
    "a" * 300,
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8,
    "!" * 200 + " " + "-=" * 150,
    "9" * 120,
    "é" * 150 + " " + "😀" * 80,
    "x\u0301" * 100,
    # nothing but white space / separators
    "\u3000\u00a0 \t",
    "   leading and trailing   ",
]

# invalid UTF-8: each maximal subpart is one U+FFFD (Unicode §3.9, Node's decoder)
RAW = [
    b"bad \xff byte \xc3( lone lead \xe2\x82 truncated \xe2\x82\xac ok \xf0\x9f\x98 cut",
    b"\xed\xa0\x80 surrogate \xc0\xaf overlong \xf4\x90\x80\x80 too big \x80\x80 stray \xe0\x80\xaf",
    b"end cut \xf0\x9f",
]

# seeded random mixes of the characters above that interact (marks, jamo, U+FEFF, sigma, added
# token fragments, contractions) and random code points: 2,000 lines
POOL = list("aAbB zZ'sStTmMdDrReEvVlL<|>!.,-_ \t") + [
    "\u0301", "\u0327", "\u0323", "\u0302", "\u0308", "\u0345", "\u1100", "\u1161", "\u11a8",
    "\uac00", "\uac01", "\ufeff", "\u00a0", "\u3000", "\u2028", "\u0085", "\u03a3", "\u03c3",
    "\u0130", "\u212b", "\u2126", "\u212a", "\u0958", "\u093c", "\u0915", "\u0344", "\u0f73",
    "\u0f71", "\u0f72", "\u05b7", "\u05bc", "\u0628", "\u064b", "\u0651", "1", "\u0661", "\u00bd",
    "\U0001F44D", "\U0001F3FD", "\u200d", "\ufe0f", "\u4e2d", "\U00020BB7", "\u0e1b", "\u0e35",
    "\ufffd", "\u00e9", "e", "\u1e9e", "\u01c5", "i\u0307", "<|endoftext|>", "<|STARTOFTEXT|>",
    "'re", "'LL", "\u2019", "\u00ad", "\u200b", "\U000E0001", "\U000F0000", "\u0378"]


def random_lines(count):
    r = random.Random(20261126)
    def one():
        if r.random() < 0.3:
            return chr(r.choice([r.randrange(0x80, 0x3000), r.randrange(0xA000, 0xD7FF),
                                 r.randrange(0x10000, 0x30000)]))
        return r.choice(POOL)
    for _ in range(count):
        yield "".join(one() for _ in range(r.randrange(1, 40))).replace("\n", " ").replace("\r", " ")


out = sys.stdout.buffer
for line in LINES + list(random_lines(2000)):
    assert "\n" not in line and "\x00" not in line
    out.write(line.encode("utf-8") + b"\n")
for line in RAW:
    out.write(line + b"\n")
