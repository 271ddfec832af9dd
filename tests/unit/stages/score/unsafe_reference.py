"""numpy reference of the unsafe-image score (src/stages/score/unsafe_score.h), written from
the formula, not from the C++: p = softmax(logit_scale * images @ prompts.T) over the prompts,
unsafe = p[:, is_unsafe].sum(1).
Usage: unsafe_reference.py IN OUT. IN: one line "n m d logit_scale", one line of m 0/1 flags,
then n image rows and m prompt rows of d numbers (float32, as the C++ holds them). OUT: n
scores, one a line, repr of float64."""
import sys

import numpy as np

lines = open(sys.argv[1]).read().split("\n")
n, m, d = (int(x) for x in lines[0].split()[:3])
scale = float(lines[0].split()[3])
flags = np.array([int(x) for x in lines[1].split()], dtype=bool)
rows = np.array([[float(x) for x in line.split()] for line in lines[2:2 + n + m]], dtype=np.float32)
images, prompts = rows[:n].astype(np.float64), rows[n:].astype(np.float64)
logits = scale * images @ prompts.T
logits -= logits.max(axis=1, keepdims=True)
p = np.exp(logits)
p /= p.sum(axis=1, keepdims=True)
with open(sys.argv[2], "w") as out:
    for v in p[:, flags].sum(axis=1):
        out.write(repr(float(v)) + "\n")
