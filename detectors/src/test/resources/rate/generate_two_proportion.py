"""Writes two_proportion.txt: the one-sided pooled two-proportion z-test computed with scipy.

Each line: x1 n1 x2 n2 z p_value relative_drop, for the alternative "rate 1 < rate 2",
where z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (x1 + x2) / (n1 + n2),
p_value = norm.sf(-z) (= Phi(z)) and relative_drop = 1 - p1 / p2.
Run from this folder: python3 generate_two_proportion.py
"""
import math

import numpy as np
from scipy.stats import norm

CASES = [
    (50, 1000, 50, 1000),        # equal rates
    (40, 1000, 50, 1000),        # small drop, not significant
    (30, 1000, 60, 1000),        # halved
    (60, 1000, 50, 1000),        # a rise
    (1, 10, 5, 10),              # tiny samples
    (0, 500, 25, 500),           # no clicks now
    (900, 20000, 1000, 20000),   # 10 % drop on large samples
    (700, 20000, 1000, 20000),   # 30 % drop, far tail
    (2000, 100000, 5000, 100000),  # very far tail
    (5, 200, 1200, 24000),       # unequal sizes
    (123, 4567, 890, 25000),
    (333, 3000, 333, 3000),
]


def main():
    rng = np.random.default_rng(20261124)
    cases = list(CASES)
    for _ in range(12):
        n1 = int(rng.integers(50, 50000))
        n2 = int(rng.integers(50, 50000))
        r = float(rng.uniform(0.01, 0.3))
        x1 = int(rng.binomial(n1, r * float(rng.uniform(0.6, 1.1))))
        x2 = int(rng.binomial(n2, r))
        cases.append((x1, n1, x2, n2))
    with open("two_proportion.txt", "w") as f:
        f.write("# x1 n1 x2 n2 z p_value relative_drop (scipy.stats.norm.sf(-z); written by generate_two_proportion.py)\n")
        for x1, n1, x2, n2 in cases:
            p1, p2 = x1 / n1, x2 / n2
            p = (x1 + x2) / (n1 + n2)
            z = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
            f.write(f"{x1} {n1} {x2} {n2} {z!r} {float(norm.sf(-z))!r} {1 - p1 / p2!r}\n")


if __name__ == "__main__":
    main()
