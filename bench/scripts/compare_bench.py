#!/usr/bin/env python3
"""Times `driftwatch compare` against a vectorised numpy/scipy script computing the same statistics.

Both read the same two CSV files (default 1,000,000 rows x 20 numeric columns, seeded), and both
compute, per column, the 10 reference-quantile bin edges, PSI, KL, JS distance, the two-sample KS
statistic and p-value, and the Wasserstein distance over the reference standard deviation.

    python3 bench/scripts/compare_bench.py [--rows 1000000] [--cols 20] [--dir bench/target/compare]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
from scipy import stats

EPS = 1e-4


def generate(path, rows, cols, seed, shift):
    if os.path.exists(path):
        return
    rng = np.random.default_rng(seed)
    data = np.empty((rows, cols))
    for c in range(cols):
        kind = c % 4
        if kind == 0:
            data[:, c] = rng.normal(shift * (c % 3 == 0), 1, rows)
        elif kind == 1:
            data[:, c] = rng.lognormal(0.5 * shift * (c % 3 == 1), 0.5, rows)
        elif kind == 2:
            data[:, c] = rng.uniform(0, 100, rows)
        else:
            data[:, c] = rng.exponential(5, rows)
    header = ",".join(f"col{c}" for c in range(cols))
    np.savetxt(path, data, delimiter=",", header=header, comments="", fmt="%.6g")


def numpy_compare(ref_path, cur_path, bins=10):
    ref = np.loadtxt(ref_path, delimiter=",", skiprows=1)
    cur = np.loadtxt(cur_path, delimiter=",", skiprows=1)
    out = []
    for c in range(ref.shape[1]):
        r = ref[:, c][np.isfinite(ref[:, c])]
        x = cur[:, c][np.isfinite(cur[:, c])]
        edges = np.unique(np.quantile(r, np.arange(1, bins) / bins))
        rc = np.bincount(np.searchsorted(edges, r, side="right"), minlength=len(edges) + 1)
        cc = np.bincount(np.searchsorted(edges, x, side="right"), minlength=len(edges) + 1)
        rp = np.where(rc == 0, EPS, rc / len(r))
        cp = np.where(cc == 0, EPS, cc / len(x))
        psi = np.sum((cp - rp) * np.log(cp / rp))
        rh, ch = rp / rp.sum(), cp / cp.sum()
        kl = np.sum(rh * np.log(rh / ch))
        m = (rh + ch) / 2
        js = np.sqrt(0.5 * np.sum(rh * np.log(rh / m)) + 0.5 * np.sum(ch * np.log(ch / m)))
        ks = stats.ks_2samp(r, x)
        std = np.std(r)
        w = stats.wasserstein_distance(r, x) / std if std > 0 else None
        out.append({"psi": psi, "kl": kl, "js": js, "ks": ks.statistic, "ks_p": ks.pvalue, "w": w})
    return out


def timed_run(args, ref, cur):
    """One timed run of numpy/scipy, then of driftwatch compare, on the same two files."""
    load_before = os.getloadavg()[0]
    t = time.time()
    c = time.process_time()
    expected = numpy_compare(ref, cur)
    numpy_seconds = time.time() - t
    numpy_cpu = time.process_time() - c

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.time()
    proc = subprocess.run(args.launcher.split() + ["compare", "--reference", ref, "--current", cur,
                                                   "--format", "json"], capture_output=True, text=True)
    java_seconds = time.time() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    java_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        sys.exit(1)
    got = json.loads(proc.stdout)["columns"]
    worst = 0.0
    for e, g in zip(expected, got):
        for key, name in (("psi", "psi"), ("kl", "kl"), ("js", "js"), ("ks", "ks")):
            worst = max(worst, abs(e[key] - g["tests"][name]["statistic"]))
    return {"rows": args.rows, "columns": args.cols, "numpy_scipy_seconds": round(numpy_seconds, 2),
            "driftwatch_compare_seconds": round(java_seconds, 2),
            "speedup": round(numpy_seconds / java_seconds, 2), "max_abs_difference": worst,
            # CPU seconds (user + system, all threads) and the 1-minute load average: on a shared machine
            # wall times depend on what else runs.
            "numpy_scipy_cpu_seconds": round(numpy_cpu, 2), "driftwatch_compare_cpu_seconds": round(java_cpu, 2),
            "load_average_before": round(load_before, 1), "load_average_after": round(os.getloadavg()[0], 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--dir", default="bench/target/compare")
    ap.add_argument("--launcher", default="bin/driftwatch")
    ap.add_argument("--json", default="bench/target/compare-bench.json")
    ap.add_argument("--runs", type=int, default=1, help="timed runs of both sides; the JSON keeps the median run "
                                                          "and every run's figures under \"runs\"")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    ref = os.path.join(args.dir, f"ref-{args.rows}x{args.cols}.csv")
    cur = os.path.join(args.dir, f"cur-{args.rows}x{args.cols}.csv")
    t = time.time()
    generate(ref, args.rows, args.cols, 1, 0.0)
    generate(cur, args.rows, args.cols, 2, 0.2)
    print(f"data ready in {time.time() - t:.1f} s: {ref}, {cur}", file=sys.stderr)

    runs = [timed_run(args, ref, cur) for _ in range(max(1, args.runs))]
    result = dict(sorted(runs, key=lambda r: r["speedup"])[len(runs) // 2])
    if len(runs) > 1:
        result["runs"] = runs
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
