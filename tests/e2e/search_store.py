"""The search test's data: a WARC of pages with many images (`pages OUT.warc`), an embeddings
store written straight into a merged run (`store RUN SEED DIM`), exactly as merge writes one
(docs/storage.md "Embeddings store"), and the brute-force reference (`expect ...`)."""
import json
import sqlite3
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from warc_records import response_record  # noqa: E402

TOPICS = ["bike race", "mountain bike", "horse race", "red car", "old bridge", "dog park"]


def pages(out):
    with open(out, "wb") as f:
        for p in range(40):
            imgs = "".join(
                f'<p>Paragraph {p}-{i} about the {TOPICS[(p + i) % len(TOPICS)]} and other words.</p>'
                f'<img src="/img/{p}-{i}.jpg" alt="photo {i} of the {TOPICS[(p * 7 + i) % len(TOPICS)]}">'
                for i in range(80))
            html = f"<html><head><title>Page {p}</title></head><body><main>{imgs}</main></body></html>"
            f.write(response_record(p + 1, f"http://example.org/page{p}.html", html.encode()))


def store(run, seed, dim):
    """Parts of 1000, 1500 and the rest of the run's images (shuffled), float16, normalised;
    ties: ids 5..9 carry id 4's vector. Image 100's first embedding (part 1) is superseded
    by one in part 3 and made to equal the query, so finding it would be a bug."""
    rng = np.random.default_rng(seed)
    db = sqlite3.connect(f"{run}/warcpairs.sqlite")
    n = db.execute("SELECT max(image_id) FROM images").fetchone()[0]
    ids = rng.permutation(np.arange(1, n + 1, dtype=np.int64))
    vecs = rng.standard_normal((n, dim)).astype(np.float32)
    q = rng.standard_normal(dim).astype(np.float32)
    q /= np.linalg.norm(q)
    pos = {int(i): k for k, i in enumerate(ids)}
    for t in range(5, 10):
        vecs[pos[t]] = vecs[pos[4]]
    vecs[pos[4]] = q + 0.3 * vecs[pos[4]] / np.linalg.norm(vecs[pos[4]])  # id 4 and 5..9 tie near the top
    for t in range(5, 10):
        vecs[pos[t]] = vecs[pos[4]]
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    half = vecs.astype(np.float16)
    import os
    os.makedirs(f"{run}/embeddings", exist_ok=True)
    cuts = [0, 1000, 2500, n]
    for p in range(3):
        a, b = cuts[p], cuts[p + 1]
        v, i = half[a:b], ids[a:b]
        if p == 2:  # image 100 again, re-scored (revision 2): its part-1 row is superseded
            v = np.vstack([v, half[pos[100]][None, :]])
            i = np.append(i, 100)
        np.save(f"{run}/embeddings/part-{p}.npy", v)
        np.save(f"{run}/embeddings/part-{p}.ids.npy", i)
        db.execute("INSERT INTO embedding_parts VALUES (?,?,?,?,?,?)",
                   (p + 1, f"part-{p}.npy", f"score-{p}.h5", len(i), dim, "generated"))
        for r, image in enumerate(i):
            db.execute("INSERT OR REPLACE INTO image_embeddings VALUES (?,?,?,?)",
                       (int(image), p + 1, r, 1 if p < 2 else 2))
    first = int(pos[100])
    assert first < 1000, "image 100 must be in part 1 for the test"
    db.execute("INSERT INTO embeddings_superseded VALUES (1, ?)", (first,))
    # the superseded row holds the query itself: similarity 1
    arr = np.load(f"{run}/embeddings/part-0.npy")
    arr[first] = q.astype(np.float16)
    np.save(f"{run}/embeddings/part-0.npy", arr)
    db.commit()
    np.save(f"{run}/q.npy", q)


def expect(run, top, where_sql="", min_sim=None):
    """The best `top` (similarity desc, image_id asc) by numpy, over live rows only."""
    db = sqlite3.connect(f"{run}/warcpairs.sqlite")
    q = np.load(f"{run}/q.npy").astype(np.float32)
    allowed = None
    if where_sql:
        allowed = {r[0] for r in db.execute(where_sql)}
    sup = set(db.execute("SELECT part_id, row FROM embeddings_superseded"))
    rows = []
    for part_id, file in db.execute("SELECT part_id, file FROM embedding_parts ORDER BY part_id"):
        v = np.load(f"{run}/embeddings/{file}").astype(np.float32)
        i = np.load(f"{run}/embeddings/{file[:-4]}.ids.npy")
        s = v.astype(np.float64) @ q.astype(np.float64)
        for r in range(len(i)):
            if (part_id, r) in sup or (allowed is not None and int(i[r]) not in allowed):
                continue
            if min_sim is not None and s[r] < min_sim:
                continue
            rows.append((float(s[r]), int(i[r])))
    rows.sort(key=lambda x: (-x[0], x[1]))
    return rows[:top]


def check(run, top, got_path, where_sql="", min_sim=None):
    want = expect(run, top, where_sql, min_sim)
    got = [json.loads(l) for l in open(got_path)]
    assert len(got) == len(want), f"{got_path}: {len(got)} results, numpy {len(want)}"
    for k, (g, (s, i)) in enumerate(zip(got, want)):
        if g["image_id"] != i:
            # a different order is allowed only between similarities equal within float error
            gs = dict((b, a) for a, b in want)
            assert abs(s - g["similarity"]) < 1e-5 and g["image_id"] in gs, \
                f"{got_path} rank {k}: image {g['image_id']} ({g['similarity']}), numpy {i} ({s})"
        assert abs(g["similarity"] - s) < 1e-4, f"rank {k}: similarity {g['similarity']} vs {s}"
    ids = [g["image_id"] for g in got]
    assert 100 not in ids[:1] or abs(got[0]["similarity"] - 1) > 1e-3, "superseded row found"
    print(f"{got_path}: {len(got)} results equal numpy's; best {want[0] if want else None}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "pages":
        pages(sys.argv[2])
    elif cmd == "store":
        store(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "check":
        check(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "",
              float(sys.argv[6]) if len(sys.argv) > 6 else None)
