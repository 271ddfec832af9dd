#!/usr/bin/env python3
"""Draws the token boxes of rendered crops onto their PNGs, to check renders by eye.

Usage: tools/render_boxes.py RUN/warcpairs.sqlite OUT_DIR [N [URL_LIKE]]
Writes OUT_DIR/<render_id>.png for the first N crops (default 3) of `warcpairs render` (after
`warcpairs merge`): green boxes for visible tokens, red for tokens judged hidden (URL_LIKE: only crops of pages whose URL matches this SQL LIKE
pattern), and a strip
under the crop listing the first pieces with their WordPiece ids. Needs Pillow (python3-pil).
"""
import io
import os
import sqlite3
import sys

from PIL import Image, ImageDraw


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db = sqlite3.connect(sys.argv[1])
    out = sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.makedirs(out, exist_ok=True)
    like = sys.argv[4] if len(sys.argv) > 4 else "%"
    crops = db.execute("SELECT render_id, png FROM renders JOIN render_pages USING (render_page_id) "
                       "WHERE url LIKE ? ORDER BY render_id LIMIT ?", (like, n)).fetchall()
    for render_id, png in crops:
        im = Image.open(io.BytesIO(png)).convert("RGB")
        canvas = Image.new("RGB", (im.width, im.height + 40), "white")
        canvas.paste(im, (0, 0))
        draw = ImageDraw.Draw(canvas)
        pieces = []
        for token, token_id, x, y, w, h, visible in db.execute(
                "SELECT token, token_id, x, y, width, height, visible FROM render_tokens "
                "WHERE render_id = ? ORDER BY position, box", (render_id,)):
            draw.rectangle([x, y, x + w - 1, y + h - 1], outline=(0, 170, 0) if visible else (220, 0, 0))
            if len(pieces) < 12:
                pieces.append(f"{token}:{token_id}")
        draw.text((4, im.height + 4), " ".join(pieces), fill="black")
        path = os.path.join(out, f"{render_id}.png")
        canvas.save(path)
        print(path)


if __name__ == "__main__":
    main()
