#!/usr/bin/env python3
"""Prints hand-written adversarial lines for the WordPiece parity test (UTF-8, one per line).

Each group names what it attacks; the expectation is the reference tokenizer's output."""
import sys

LINES = [
    # accented Latin, precomposed and decomposed, and combining-mark pile-ups
    "Café crème brûlée, naïve façade, Ångström, Øresund, Łódź, Dvořák, São Paulo",
    "Cafe\u0301 cre\u0300me e\u0301\u0301\u0301 a\u0308\u0304 o\u0328\u0301 x\u0336y\u0336",
    "Z\u0351\u036b\u0343a\u0310\u0363l\u0352g\u0350o\u0344 text, \u0301leading mark, trailing mark\u0301",
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ",
    "Ǆ ǅ ǆ ǈ Ǳ ǲ ᾈ ᾼ ῌ Ω K Å ﬁ ﬀ ſ ẞ",
    # Turkish dotted/dotless I, German sharp s, Greek final sigma
    "İstanbul İZMİR ıi Iı DİYARBAKIR i̇",
    "STRASSE Straße GROẞE Maß weiß ẞ",
    "ΟΔΟΣ ΟΔΟΣ. ΣΑΣ Σ ΑΣ'Α ΑΣ'Σ ὈΔΥΣΣΕΎΣ ΜΆΪΟΣ ΆΣ1 ΑΣ\u0301 ΑΣ\u200bΒ Σ\u0345Α",
    "Ελληνικά: Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. ΚΑΛΗΜΕΡΑ ΚΌΣΜΕ",
    # CJK, Japanese, Hangul, Thai, Devanagari, Arabic/Hebrew (RTL), full-width forms
    "北京是中国的首都。東京タワーとスカイツリー、ひらがなカタカナ漢字",
    "𠮷野家 𠀀𪚥 a𠮷b 丽丽 \uf900\uf901\ufa0e 㐀㐁 ⺀⻳ 〇 ｶﾞｷﾞ",
    "서울특별시 한국어 텍스트 ᄀᄁ 한\u1100 ㄱㄴㄷ 가각갂",
    "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ ๑๒๓",
    "हिन्दी भाषा देवनागरी में लिखी जाती है। क़ ख़",
    "العربية لغة سامية مُشكَّلة بالحركات \u200fمن اليمين\u200f، والأرقام ١٢٣",
    "עברית: שָׁלוֹם עוֹלָם \u202eRTL override\u202c end",
    "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ！？　１２３　＠＃＄％",
    # emoji, ZWJ sequences, flags, skin tones, variation selectors, keycaps
    "I ❤️ NY 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇩🇪🇫🇷 1️⃣ #️⃣ 🧑🏿‍🚀 ☺︎ ☺️",
    "emoji🙂inside🙃words and 😀😃😄😁😆😅😂🤣 a row",
    # whitespace of every kind, zero-width characters, controls
    "non\u00a0breaking\u2007figure\u202fnarrow\u3000ideographic\u2028line\u2029para\u1680ogham",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffjoiner\u00adsoft\u2061hyphen",
    "tab\there\rcarriage\x0bvertical\x0cform\x1cfile\x1dgroup\x1erecord\x1funit\x85nel end",
    "\x01\x02\x03\x07\x08\x1b[31mred\x1b[0m\x7f\x80\x9f controls",
    "private\ue000use\U000f0000 plane15 \ufffd replacement \ufffe\uffff nonchars",
    "   leading and trailing spaces   ",
    "",
    "\u3000\u00a0 \t",
    # punctuation, ASCII and Unicode, symbols that are not punctuation
    "Hello,world!How's\"it\"going?(fine)[ok]{sure}<tag>a/b\\c|d~e`f^g_h-i+j=k*l&m%n$o#p@q",
    "“Smart quotes” ‘single’ «guillemets» ‹single› „German“ — em – en … ‥ · • ¡¿ § ¶ † ‡ ※ ‽",
    "€100 £5 ¥300 ©2024 ®™ ° ± × ÷ √ ∞ ≈ ≠ ≤ ≥ ½ ¼ ² ³ µ 10℃ №5 ℮",
    "a.b.c d...e f--g h__i 3.14 1,000,000 12:30 2024-01-01 e-mail@example.com http://x.y/z?q=1&r=2",
    # special tokens written in the text
    "[CLS] [SEP] [PAD] [MASK] [UNK] [cls] [Mask] [MASK][MASK] x[SEP]y [ [MASK",
    "ΟΔΟΣ[SEP]ΟΔΟΣ [MASK]Σ Α[MASK]Σ",
    # words at and beyond max_input_chars_per_word (100 code points)
    "a" * 100,
    "a" * 101,
    "é" * 100 + " " + "é" * 101,
    "Pneumonoultramicroscopicsilicovolcanoconiosis " * 3,
    "supercalifragilisticexpialidocious" * 3 + " x",
    "한" * 40,
    "x\u0301" * 60,
    # mixed scripts and numbers
    "iPhone15Pro vs Galaxy-S24, 4K@60fps, COVID-19, U.S.A., Ph.D., O'Neill's rock'n'roll",
    "Москва — столица России. ПРИВЕТ мир! Ёлка ёж Українська ґ є ї",
    "Tiếng Việt có dấu: Hà Nội, Đà Nẵng, Huế. ĐẶNG",
    "ℌ𝔢𝔩𝔩𝔬 𝐁𝐨𝐥𝐝 𝕯𝖔𝖚𝖇𝖑𝖊 ⓒⓘⓡⓒⓛⓔ 🅰🅱",
    "Unicode 15+: 𓐰 𖿰 🫨 🩷 🪿 𑚹 \U0001e030 \U0001e4d0 ꟊ ꟑ",
]

out = sys.stdout.buffer
for line in LINES:
    assert "\n" not in line and "\x00" not in line
    out.write(line.encode("utf-8") + b"\n")
