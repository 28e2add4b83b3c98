"""Generate the fixtures of two windows compared on a third sample's grid: paired/<name>.case.

The Java side (WindowPairComparisonsTest) builds a numeric baseline from `baseline` (its coarse bins
and grid), summarises `reference` (e.g. the primary model's scores on some requests) and `current`
(a shadow model's scores on the same requests) on that grid, and compares the two summaries. This
script computes the expected values from the raw samples with numpy/scipy (reference_stats.py):

- PSI, KL, JS on the coarse bins of the *baseline* (numeric_edges(baseline, bins)): exact in Java.
- KS D and p-value of ks_2samp(reference, current) on the raw values: Java's D from the grid must lie
  in [D - bound, D] with its stated bound.
- The grid's KS D (the largest CDF difference at the cell boundaries of the baseline's grid, rebuilt
  here as NumericGrid builds it) and scipy's exact two-sided p-value of that D with the true sample
  sizes: Java must report both (the p-value is the one of the grid's D, not of the exact D).
- Wasserstein(reference, current) / std(reference): Java's value must lie within its stated bound.

Seeded and deterministic. Run: python3 paired_windows.py
"""

import math
import os
import shutil
import sys

import numpy as np
from scipy.stats import _stats_py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_stats as rs  # noqa: E402

OUT = os.path.join(HERE, "paired")
GRID_RESOLUTION = 400  # NumericGrid.DEFAULT_RESOLUTION
GRID_TAIL_STEPS = 12   # NumericGrid.TAIL_STEPS


def grid_points(baseline, edges, resolution=GRID_RESOLUTION):
    """The points of NumericGrid.fromReference: order statistics x[floor(p*(n-1))] at p = j/G, at
    2^-k/G and 1 - 2^-k/G (k = 1..12), and the coarse bin edges, sorted and distinct."""
    x = np.sort(baseline)
    n = x.size
    raw = [x[int(math.floor((j / resolution) * (n - 1)))] for j in range(resolution + 1)]
    tail = 1.0 / resolution
    for _ in range(GRID_TAIL_STEPS):
        tail /= 2
        raw.append(x[int(math.floor(tail * (n - 1)))])
        raw.append(x[int(math.floor((1 - tail) * (n - 1)))])
    raw.extend(edges)
    return np.unique(np.asarray(raw, dtype=np.float64))


def grid_ks(reference, current, points):
    """max over the cell boundaries (just below and at every point) of |F_ref - F_cur|, and scipy's
    exact two-sided p-value of that D for the true sample sizes."""
    r = np.sort(reference)
    c = np.sort(current)
    below = np.abs(np.searchsorted(r, points, "left") / r.size - np.searchsorted(c, points, "left") / c.size)
    at = np.abs(np.searchsorted(r, points, "right") / r.size - np.searchsorted(c, points, "right") / c.size)
    d = float(max(below.max(), at.max()))
    n1, n2 = r.size, c.size
    ok, _, p = _stats_py._attempt_exact_2kssamp(n1, n2, math.gcd(n1, n2), d, "two-sided")
    if not ok:
        raise RuntimeError("no exact KS p-value for n=%d, m=%d, D=%r" % (n1, n2, d))
    return d, float(p)


def r6(x):
    return np.round(np.asarray(x, dtype=np.float64), 6)


def cases():
    """(name, bins, baseline, reference, current, comment)"""
    out = []
    g = np.random.default_rng(501)
    base = r6(g.beta(2, 5, 1000))
    prim = r6(g.beta(2, 5, 800))
    out.append(("identical_scores", 10, base, prim, prim.copy(),
                "a shadow that gives the primary's scores: every statistic 0, KS p 1"))

    g = np.random.default_rng(502)
    base = r6(g.beta(2, 5, 1000))
    prim = r6(g.beta(2, 5, 800))
    shadow = r6(np.clip(prim + g.normal(0, 0.01, prim.size), 0, 1))
    out.append(("small_noise", 10, base, prim, shadow,
                "the primary's scores plus N(0, 0.01) noise: small statistics"))

    g = np.random.default_rng(503)
    base = r6(g.beta(2, 5, 1000))
    prim = r6(g.beta(2, 5, 900))
    shadow = r6(np.clip(prim + 0.15, 0, 1))
    out.append(("shifted_scores", 10, base, prim, shadow,
                "the primary's scores shifted by +0.15: PSI and KS large"))

    g = np.random.default_rng(504)
    base = r6(g.normal(0, 1, 1500))
    prim = r6(g.normal(0, 1, 600))
    shadow = r6(g.normal(0, 1.6, 700))
    out.append(("scale_change", 10, base, prim, shadow, "normal vs a wider normal, unequal sizes"))

    g = np.random.default_rng(505)
    base = r6(g.normal(0, 1, 1200))
    prim = r6(g.normal(2.5, 0.5, 500))
    shadow = r6(g.normal(2.7, 0.5, 500))
    out.append(("both_in_the_tail", 10, base, prim, shadow,
                "both windows far in the baseline's upper tail: coarse bins see little, KS bound large"))

    g = np.random.default_rng(506)
    base = r6(g.uniform(0, 1, 1000))
    prim = r6(g.uniform(0, 1, 400))
    shadow = r6(g.uniform(0, 1, 400))
    out.append(("same_distribution", 5, base, prim, shadow,
                "two samples of the same uniform distribution, 5 bins"))
    return out


def fmt(x):
    return repr(float(x))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    for name, bins, base, ref, cur, comment in cases():
        edges = rs.numeric_edges(base, bins)
        rc = rs.numeric_counts(ref, edges)
        cc = rs.numeric_counts(cur, edges)
        r = rs.proportions(rc, ref.size)
        c = rs.proportions(cc, cur.size)
        d, p, method = rs.ks(ref, cur)
        w = rs.wasserstein(ref, cur)
        grid_d, grid_p = grid_ks(ref, cur, grid_points(base, edges))
        lines = [
            "# generated by paired_windows.py (numpy %s, scipy %s); do not edit"
            % (np.__version__, __import__("scipy").__version__),
            "# " + comment,
            "# reference bin counts: " + " ".join(map(str, rc)),
            "# current bin counts: " + " ".join(map(str, cc)),
            "name " + name,
            "bins %d" % bins,
            " ".join(["baseline"] + [fmt(v) for v in base]),
            " ".join(["reference"] + [fmt(v) for v in ref]),
            " ".join(["current"] + [fmt(v) for v in cur]),
            "expect reference_count %d" % ref.size,
            "expect current_count %d" % cur.size,
            "expect psi " + fmt(rs.psi(r, c)),
            "expect kl " + fmt(rs.kl(r, c)),
            "expect js " + fmt(rs.js(r, c)),
            "expect ks_statistic " + fmt(d),
            "expect ks_p_value " + fmt(p),
            "expect ks_method " + method,
            "expect ks_grid_statistic " + fmt(grid_d),
            "expect ks_grid_p_value " + fmt(grid_p),
            "expect wasserstein " + ("none" if w is None else fmt(w)),
        ]
        with open(os.path.join(OUT, name + ".case"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
    print("paired_windows: %d cases written to %s" % (len(cases()), OUT))


if __name__ == "__main__":
    main()
