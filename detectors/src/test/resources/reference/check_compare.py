"""Cross-check `driftwatch compare` against reference_stats.py on random CSV pairs.

    python3 check_compare.py [--cases N] [--seed S] [--launcher bin/driftwatch] [--keep]
    python3 check_compare.py --self-test     # checks the harness itself against a fake launcher

For each case it writes a reference and a current CSV (seeded: the same --seed gives the same files),
runs `LAUNCHER compare --reference REF --current CUR [--bins N] [--categorical a,b] --format json`,
recomputes every column with reference_stats.py (reading the CSVs with the csv module) and compares:

    counts and missing counts   exactly; the column type exactly
    psi, kl, js, ks D, W1, chi-square statistic and p-value
                                within 1e-9, absolute when |expected| < 1, relative otherwise
    KS p-value                  1e-4 relative when exact, 2% relative when asymptotic;
                                both < 1e-300 count as equal
    undefined values            (Wasserstein with a constant reference, chi-square p with df 0)
                                must be JSON null or absent

It prints one line per case and `check_compare: N passed, M failed`, and exits 1 on any failure
(a launcher error, a non-zero exit, output that is not one JSON object, a missing or wrong value).
"""

import argparse
import csv
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
sys.path.insert(0, HERE)
import reference_stats as rs  # noqa: E402

STAT_TOL = 1e-9
KS_P_REL_EXACT = 1e-4
KS_P_REL_ASYMP = 0.02
P_FLOOR = 1e-300
MISSING_SPELLINGS = ["", "nan", "inf", "-inf"]


# ----------------------------------------------------------------------------------- random data

def fmt_num(x, style):
    if style == "int":
        return str(int(x))
    if style == "short":
        return repr(float(np.round(x, 3)))
    return repr(float(x))


def numeric_column(g, n_ref, n_cur, kind):
    """Cells (str) of one numeric column in both files."""
    shift = float(g.choice([0.0, 0.0, 0.05, 0.3, 1.0]))
    if kind == "normal":
        ref, cur, style = g.normal(0, 1, n_ref), g.normal(shift, 1 + shift / 2, n_cur), "full"
    elif kind == "lognormal":
        ref, cur, style = g.lognormal(3, 1, n_ref), g.lognormal(3 + shift, 1, n_cur), "short"
    elif kind == "ties":  # few distinct integers: edges collapse
        lam = float(g.uniform(0.5, 4))
        ref, cur, style = g.poisson(lam, n_ref), g.poisson(lam * (1 + shift), n_cur), "int"
    elif kind == "negative":
        ref, cur, style = g.normal(-500, 40, n_ref), g.normal(-500 - 40 * shift, 40, n_cur), "short"
    elif kind == "constant_ref":  # Wasserstein undefined
        ref, cur, style = np.full(n_ref, 7.0), g.normal(7, 1, n_cur), "short"
    else:
        raise ValueError(kind)
    ref_cells = [fmt_num(v, style) for v in ref]
    cur_cells = [fmt_num(v, style) for v in cur]
    return sprinkle_missing(g, ref_cells, MISSING_SPELLINGS), sprinkle_missing(g, cur_cells, MISSING_SPELLINGS)


def categorical_column(g, n_ref, n_cur, kind):
    k = int(g.integers(2, 12)) if kind != "many" else 30
    names = ["v%02d" % i for i in range(k)]
    p_ref = g.dirichlet(np.ones(k))
    p_cur = p_ref if g.random() < 0.4 else g.dirichlet(np.ones(k))
    ref = [str(x) for x in g.choice(names, n_ref, p=p_ref)]
    cur = [str(x) for x in g.choice(names, n_cur, p=p_cur)]
    if kind == "new_in_current":
        cur = [("fresh" if g.random() < 0.05 else v) for v in cur]
    if kind == "single":
        ref, cur = ["solo"] * n_ref, ["solo"] * n_cur
    # categorical columns only use the empty cell as missing (nan/inf spellings there are ambiguous)
    return sprinkle_missing(g, ref, [""]), sprinkle_missing(g, cur, [""])


def forced_categorical_column(g, n_ref, n_cur):
    """Integer codes that parse as numbers, made categorical with --categorical."""
    codes = [str(c) for c in (10, 20, 30, 40, 100)]
    ref = [str(x) for x in g.choice(codes, n_ref, p=[0.3, 0.3, 0.2, 0.1, 0.1])]
    cur = [str(x) for x in g.choice(codes, n_cur, p=[0.2, 0.2, 0.2, 0.2, 0.2])]
    return sprinkle_missing(g, ref, [""]), sprinkle_missing(g, cur, [""])


def sprinkle_missing(g, cells, spellings):
    """Make a few cells missing (0..5%), but always keep at least one real value."""
    n = len(cells)
    rate = float(g.choice([0.0, 0.01, 0.05]))
    k = min(int(rate * n), n - 1)
    if k > 0:
        for p in g.choice(n, size=k, replace=False):
            cells[p] = spellings[int(g.integers(len(spellings)))]
    return cells


def make_case(g, index):
    """(columns: list of (name, ref_cells, cur_cells, forced_categorical), n_ref, n_cur, bins)."""
    size_class = ["small", "medium", "medium", "large_equal", "medium", "large"][index % 6]
    if size_class == "small":
        n_ref, n_cur = int(g.integers(1, 60)), int(g.integers(1, 60))
    elif size_class == "medium":
        n_ref, n_cur = int(g.integers(100, 4000)), int(g.integers(100, 4000))
    elif size_class == "large_equal":  # n1 == n2 (exact square formula); non-missing counts may differ
        n_ref = n_cur = int(g.integers(500, 3000))
    else:  # asymptotic KS path
        n_ref, n_cur = int(g.integers(10001, 13000)), int(g.integers(6000, 12000))
    kinds_num = ["normal", "lognormal", "ties", "negative", "constant_ref"]
    kinds_cat = ["plain", "plain", "new_in_current", "many", "single"]
    columns = []
    for j in range(int(g.integers(2, 6))):
        roll = g.random()
        if roll < 0.55:
            kind = kinds_num[int(g.integers(len(kinds_num)))]
            ref, cur = numeric_column(g, n_ref, n_cur, kind)
            columns.append(("n%d_%s" % (j, kind), ref, cur, False))
        elif roll < 0.85:
            kind = kinds_cat[int(g.integers(len(kinds_cat)))]
            ref, cur = categorical_column(g, n_ref, n_cur, kind)
            columns.append(("c%d_%s" % (j, kind), ref, cur, False))
        else:
            ref, cur = forced_categorical_column(g, n_ref, n_cur)
            columns.append(("f%d_codes" % j, ref, cur, True))
    if n_ref == 1 or n_cur == 1:  # a single row cannot spare a missing cell: keep it real
        columns = [c for c in columns if all(v not in MISSING_SPELLINGS for v in c[1] + c[2])] or columns[:0]
        if not columns:
            columns = [("n0_normal", ["1.5"] * n_ref, ["2.5"] * n_cur, False)]
    bins = [None, None, 5, 20, 3][int(g.integers(5))]
    return columns, n_ref, n_cur, bins


def write_csv(path, columns, which):
    rows = zip(*[col[which] for col in columns])
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([col[0] for col in columns])
        w.writerows(rows)


def read_csv(path):
    """Header and cells by column, exactly as in the file (the csv module; no type guessing)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {name: [row[i] for row in body] for i, name in enumerate(header)}, header


# ---------------------------------------------------------------------------------- comparison

def stat_close(got, want):
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return False
    if abs(want) < 1:
        return abs(got - want) <= STAT_TOL
    return abs(got - want) <= STAT_TOL * abs(want)


def p_close(got, want, rel):
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return False
    if got < P_FLOOR and want < P_FLOOR:
        return True
    return abs(got - want) <= rel * abs(want)


def compare_column(col, want, problems):
    name = col.get("name")
    for key in ["type", "reference_count", "current_count", "reference_missing", "current_missing"]:
        if col.get(key) != want[key]:
            problems.append("%s: %s = %r, expected %r" % (name, key, col.get(key), want[key]))
    if col.get("type") != want["type"]:
        return
    tests = col.get("tests")
    if not isinstance(tests, dict):
        problems.append("%s: no tests object" % name)
        return

    def value(test, field):
        t = tests.get(test)
        return t.get(field) if isinstance(t, dict) else None

    def check(test, field, expected, close):
        got = value(test, field)
        if expected is None:
            if got is not None:
                problems.append("%s: %s.%s = %r, expected null (undefined)" % (name, test, field, got))
        elif got is None or not close(got, expected):
            problems.append("%s: %s.%s = %r, expected %r" % (name, test, field, got, expected))

    for test in ["psi", "kl", "js"]:
        check(test, "statistic", want[test], stat_close)
    if want["type"] == "numeric":
        rel = KS_P_REL_EXACT if want["ks_method"] == "exact" else KS_P_REL_ASYMP
        check("ks", "statistic", want["ks_statistic"], stat_close)
        check("ks", "p_value", want["ks_p_value"], lambda g, w: p_close(g, w, rel))
        check("wasserstein", "statistic", want["wasserstein"], stat_close)
    else:
        check("chisq", "statistic", want["chisq_statistic"], stat_close)
        check("chisq", "p_value", want["chisq_p_value"], stat_close)
    if not isinstance(col.get("drift"), bool):
        problems.append("%s: drift is not a boolean: %r" % (name, col.get("drift")))
    if not isinstance(col.get("drifted_by"), list):
        problems.append("%s: drifted_by is not a list: %r" % (name, col.get("drifted_by")))


def expected_columns(ref_path, cur_path, bins, categorical):
    ref_cols, header = read_csv(ref_path)
    cur_cols, _ = read_csv(cur_path)
    return {name: rs.csv_column(ref_cols[name], cur_cols[name], bins or rs.DEFAULT_BINS, name in categorical)
            for name in header}


def run_case(launcher, workdir, g, index, timeout):
    columns, n_ref, n_cur, bins = make_case(g, index)
    ref_path = os.path.join(workdir, "case%03d-reference.csv" % index)
    cur_path = os.path.join(workdir, "case%03d-current.csv" % index)
    write_csv(ref_path, columns, 1)
    write_csv(cur_path, columns, 2)
    categorical = [c[0] for c in columns if c[3]]
    cmd = launcher + ["compare", "--reference", ref_path, "--current", cur_path]
    if bins is not None:
        cmd += ["--bins", str(bins)]
    if categorical:
        cmd += ["--categorical", ",".join(categorical)]
    cmd += ["--format", "json"]
    want = expected_columns(ref_path, cur_path, bins, set(categorical))
    paths = sorted({w["ks_path"] for w in want.values() if w["type"] == "numeric"})
    desc = "rows %d/%d, bins %s, %d columns (%s), ks %s" % (
        n_ref, n_cur, bins or "default", len(columns),
        " ".join(("cat" if w["type"] == "categorical" else "num") for w in want.values()), ",".join(paths) or "-")

    problems = []
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, desc, ["could not run %s: %s" % (" ".join(cmd[:1]), e)]
    if proc.returncode != 0:
        err = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        return False, desc, ["exit %d: %s" % (proc.returncode, " | ".join(err[-3:]) or "(no output)")]
    try:
        out = json.loads(proc.stdout)
    except ValueError as e:
        return False, desc, ["stdout is not one JSON object (%s): %r" % (e, proc.stdout[:200])]
    if not isinstance(out, dict) or not isinstance(out.get("columns"), list):
        return False, desc, ["no 'columns' list in the output"]
    if "dataset_drift" not in out:
        problems.append("no 'dataset_drift' in the output")
    got = {c.get("name"): c for c in out["columns"] if isinstance(c, dict)}
    if sorted(got) != sorted(want):
        problems.append("columns %s, expected %s" % (sorted(map(str, got)), sorted(want)))
    for name, w in want.items():
        if name in got:
            compare_column(got[name], w, problems)
    return not problems, desc, problems


# --------------------------------------------------------------------------- harness self-test

def fake_compare(argv):
    """A stand-in for the CLI, built on reference_stats, to test this harness (--self-test)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("--current", required=True)
    ap.add_argument("--bins", type=int, default=rs.DEFAULT_BINS)
    ap.add_argument("--categorical", default="")
    ap.add_argument("--format", default="json")
    a = ap.parse_args(argv)
    if os.environ.get("CHECK_COMPARE_FAKE_ERROR"):
        print("driftwatch: error: something went wrong", file=sys.stderr)
        return 2
    cols = expected_columns(a.reference, a.current, a.bins, set(filter(None, a.categorical.split(","))))
    perturb = float(os.environ.get("CHECK_COMPARE_FAKE_PERTURB", "0"))
    out = []
    for name, w in cols.items():
        tests = {t: {"statistic": w[t] + perturb} for t in ["psi", "kl", "js"]}
        if w["type"] == "numeric":
            tests["ks"] = {"statistic": w["ks_statistic"], "p_value": w["ks_p_value"]}
            tests["wasserstein"] = {"statistic": w["wasserstein"]}
        else:
            tests["chisq"] = {"statistic": w["chisq_statistic"], "p_value": w["chisq_p_value"], "df": w["chisq_df"]}
        out.append({"name": name, "type": w["type"],
                    **{k: w[k] for k in ["reference_count", "current_count", "reference_missing", "current_missing"]},
                    "tests": tests, "drift": False, "drifted_by": []})
    print(json.dumps({"columns": out, "dataset_drift": {"drift": False}}))
    return 0


def self_test(args):
    """Good fake passes; perturbed fake and failing fake are reported as failures."""
    fake = [sys.executable, os.path.abspath(__file__), "_fake-compare"]
    me = [sys.executable, os.path.abspath(__file__), "--launcher", " ".join(map(shlex.quote, fake)),
          "--cases", str(args.cases), "--seed", str(args.seed)]
    results = []
    for label, env_extra, expect_rc in [("exact fake", {}, 0),
                                        ("fake off by 1e-6", {"CHECK_COMPARE_FAKE_PERTURB": "1e-6"}, 1),
                                        ("fake that errors", {"CHECK_COMPARE_FAKE_ERROR": "1"}, 1)]:
        env = dict(os.environ, **env_extra)
        proc = subprocess.run(me, capture_output=True, text=True, env=env)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-200:]
        ok = proc.returncode == expect_rc
        results.append(ok)
        print("self-test %-18s exit %d (want %d) %s  [%s]" % (label, proc.returncode, expect_rc,
                                                            "ok" if ok else "WRONG", last))
    print("check_compare self-test: %s" % ("passed" if all(results) else "FAILED"))
    return 0 if all(results) else 1


# ----------------------------------------------------------------------------------------- main

def main(argv):
    if argv[:1] == ["_fake-compare"]:
        return fake_compare(argv[2:] if argv[1:2] == ["compare"] else argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--launcher", default="bin/driftwatch",
                    help="command (split like a shell would), relative paths from the repository root")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per launcher run (the first may build)")
    ap.add_argument("--keep", action="store_true", help="keep the generated CSVs and print where")
    ap.add_argument("--self-test", action="store_true", help="check the harness against a fake launcher")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test(args)

    launcher = shlex.split(args.launcher)
    if not os.path.isabs(launcher[0]) and os.sep in launcher[0]:
        launcher[0] = os.path.join(REPO_ROOT, launcher[0])
    workdir = tempfile.mkdtemp(prefix="check_compare-")
    g = np.random.default_rng(args.seed)
    passed = failed = 0
    try:
        for i in range(args.cases):
            t0 = time.time()
            ok, desc, problems = run_case(launcher, workdir, g, i, args.timeout)
            passed, failed = passed + ok, failed + (not ok)
            print("case %03d %s  %s  (%.1fs)" % (i, "PASS" if ok else "FAIL", desc, time.time() - t0))
            for p in problems[:20]:
                print("    " + p)
            if len(problems) > 20:
                print("    ... %d more" % (len(problems) - 20))
            sys.stdout.flush()
    finally:
        if args.keep:
            print("CSV files kept in " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("check_compare: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
