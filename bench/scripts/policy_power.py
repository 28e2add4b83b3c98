"""The best 3-window detection rate of a persistent mean shift at a given false-alarm rate (docs/policy.md).

Model: windows of m values, a reference of n values, all normal with known sd 1; a shift of d sd starts at
window 1. The most powerful test of "shifted by window 3" is the z-test of the pooled windows against the
reference, z = (mean of the pooled windows - mean of the reference) / sqrt(1/M + 1/n). Two bounds:

* per-window level: the pooled 3-window test alone at a two-sided level of 1 false alarm per 10,000 windows;
* alert level: the test of the pooled last 1, 2 or 3 windows (whichever is largest), with its threshold set so
  that it *starts* an alert (crosses upwards) once per 10,000 stationary windows -- crossings cluster, because
  the reference's error is shared by every window, so this threshold is a little lower.

A placement (rank) statistic such as driftwatch's has an efficiency of 3/pi against the z-test on normal data;
its bound is printed too. Run: python3 bench/scripts/policy_power.py
"""
import numpy as np
from scipy.stats import norm

M_WINDOW = 1000
SHIFT = 0.1
RATE = 1e-4
RANK_EFFICIENCY = 3 / np.pi


def pooled_max(rng, n, windows, shift, reps, k_max=3, efficiency=1.0):
    """max over k = 1..k_max of |pooled z| at every window, for reps independent streams."""
    ref = rng.normal(0, 1 / np.sqrt(n), reps)
    w = rng.normal(shift * np.sqrt(efficiency), 1 / np.sqrt(M_WINDOW), (reps, windows))
    cs = np.concatenate([np.zeros((reps, 1)), np.cumsum(w, 1)], 1)
    out = np.zeros((reps, windows))
    for t in range(windows):
        for k in range(1, min(k_max, t + 1) + 1):
            z = np.abs((cs[:, t + 1] - cs[:, t + 1 - k]) / k - ref) / np.sqrt(1 / (k * M_WINDOW) + 1 / n)
            out[:, t] = np.maximum(out[:, t], z)
    return out


def upcrossing_threshold(rng, n):
    stat = pooled_max(rng, n, 200, 0.0, 20_000)
    lo, hi = 3.0, 5.0
    for _ in range(30):
        c = (lo + hi) / 2
        over = stat >= c
        starts = over[:, 0].sum() + (over[:, 1:] & ~over[:, :-1]).sum()
        if starts / over.size > RATE:
            lo = c
        else:
            hi = c
    return hi


def main():
    rng = np.random.default_rng(17)
    c_window = norm.isf(RATE / 2)
    print(f"shift {SHIFT} sd, windows of {M_WINDOW}, false-alarm rate {RATE:g} per window")
    print("| reference rows | pooled-3 z | per-window level: c, power by window 3 (z-test / rank) |"
          " alert level: c, detected within 3 (z-test / rank) |")
    print("|---|---|---|---|")
    for n in (5000, 20000):
        z3 = SHIFT / np.sqrt(1 / (3 * M_WINDOW) + 1 / n)
        p_z = norm.sf(c_window - z3)
        p_rank = norm.sf(c_window - z3 * np.sqrt(RANK_EFFICIENCY))
        c_alert = upcrossing_threshold(rng, n)
        within = []
        for eff in (1.0, RANK_EFFICIENCY):
            s = pooled_max(rng, n, 3, SHIFT, 50_000, efficiency=eff)
            within.append((s >= c_alert).any(1).mean())
        print(f"| {n:,} | {z3:.2f} | {c_window:.2f}: {100 * p_z:.0f} % / {100 * p_rank:.0f} % |"
              f" {c_alert:.2f}: {100 * within[0]:.0f} % / {100 * within[1]:.0f} % |")


if __name__ == "__main__":
    main()
