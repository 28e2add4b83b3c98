"""Writes welch.txt: Welch's one-sided two-sample t-test from summary statistics, computed with scipy.

Each line: n1 m1 v1 n2 m2 v2 t df p_value relative_drop, for the alternative "mean 1 < mean 2", where v is
the sample variance (ddof = 1) and
  t, p = scipy.stats.ttest_ind_from_stats(m1, sqrt(v1), n1, m2, sqrt(v2), n2, equal_var=False, alternative="less")
  df   = (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1))   (Welch-Satterthwaite)
  relative_drop = 1 - m1 / m2.
Some cases come from seeded samples (lognormal revenue-like values), their moments taken with numpy.
Run from this folder: python3 generate_welch.py
"""
import math

import numpy as np
from scipy import stats

CASES = [
    (100, 10.0, 4.0, 100, 10.0, 4.0),        # equal means
    (100, 9.5, 4.0, 1000, 10.0, 4.0),        # small drop
    (200, 8.0, 9.0, 5000, 10.0, 16.0),       # 20 % drop, unequal variances
    (50, 12.0, 25.0, 400, 10.0, 25.0),       # a rise
    (2, 1.0, 0.5, 3, 2.0, 1.0),              # tiny samples
    (10000, 49.0, 900.0, 20000, 50.0, 1000.0),  # large samples, 2 % drop
    (300, 20.0, 400.0, 300, 40.0, 1600.0),   # halved, far tail
]


def main():
    rng = np.random.default_rng(20261204)
    cases = list(CASES)
    for _ in range(10):
        n1 = int(rng.integers(20, 5000))
        n2 = int(rng.integers(20, 20000))
        mu = float(rng.uniform(1, 4))
        sigma = float(rng.uniform(0.3, 1.2))
        ref = rng.lognormal(mu, sigma, n2)
        cur = rng.lognormal(mu + float(rng.uniform(-0.4, 0.1)), sigma, n1)
        cases.append((n1, float(cur.mean()), float(cur.var(ddof=1)), n2, float(ref.mean()), float(ref.var(ddof=1))))
    with open("welch.txt", "w") as f:
        f.write("# n1 m1 v1 n2 m2 v2 t df p_value relative_drop (scipy.stats.ttest_ind_from_stats, equal_var=False,"
                " alternative='less'; written by generate_welch.py)\n")
        for n1, m1, v1, n2, m2, v2 in cases:
            t, p = stats.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2, equal_var=False,
                                              alternative="less")
            a, b = v1 / n1, v2 / n2
            df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
            f.write(f"{n1} {m1!r} {v1!r} {n2} {m2!r} {v2!r} {float(t)!r} {df!r} {float(p)!r} {1 - m1 / m2!r}\n")


if __name__ == "__main__":
    main()
