"""Generate the reference fixtures: cases/<name>.case, anderson_darling.txt and the demo CSVs, next to this file.

Seeded and deterministic: running it twice gives byte-identical files. Run: python3 generate.py
The statistics come from reference_stats.py (numpy/scipy); see README.md for the file format.
`python3 generate.py --anderson-darling` rewrites only anderson_darling.txt, from the cases/ on disk.
"""

import math
import os
import shutil
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_stats as rs  # noqa: E402

CASES_DIR = os.path.join(HERE, "cases")
AD_FILE = os.path.join(HERE, "anderson_darling.txt")
MISSING_TOKEN = "<MISSING>"


# ------------------------------------------------------------------------------------ data helpers

def rng(seed):
    return np.random.default_rng(seed)


def r6(x):
    """Round to 6 decimals: keeps the large fixtures small (the written value is the value)."""
    return np.round(np.asarray(x, dtype=np.float64), 6)


def with_missing(values, g, n_missing):
    """Replace n_missing random positions by NaN, +Inf or -Inf (cycled)."""
    out = np.array(values, dtype=np.float64)
    pos = g.choice(out.size, size=n_missing, replace=False)
    for i, p in enumerate(sorted(pos)):
        out[p] = (math.nan, math.inf, -math.inf)[i % 3]
    return out


def categories(g, names, probs, n):
    return [str(x) for x in g.choice(names, size=n, p=np.asarray(probs) / np.sum(probs))]


def cat_with_missing(values, g, n_missing):
    out = list(values)
    for p in g.choice(len(out), size=n_missing, replace=False):
        out[p] = ""
    return out


# --------------------------------------------------------------------------------------- the cases

def numeric_cases():
    """(name, bins, reference, current, comment)"""
    cases = []

    def add(name, ref, cur, bins=10, comment=""):
        cases.append((name, bins, np.asarray(ref, dtype=np.float64), np.asarray(cur, dtype=np.float64), comment))

    g = rng(101)
    x = g.normal(0, 1, 500)
    add("identical_normal_500", x, x.copy(), comment="same sample twice: every statistic 0, KS p 1")

    g = rng(102)
    add("disjoint_supports_200_300", g.normal(0, 1, 200), g.normal(100, 1, 300),
        comment="disjoint supports: PSI large, JS near sqrt(ln 2), KS D = 1")

    g = rng(103)
    add("disjoint_supports_equal_150", g.uniform(0, 1, 150), g.uniform(2, 3, 150),
        comment="disjoint supports, equal sizes")

    for seed, n, shift in [(104, 50, 0.5), (105, 200, 0.3), (106, 1000, 0.1), (107, 5000, 0.05)]:
        g = rng(seed)
        ref, cur = g.normal(0, 1, n), g.normal(shift, 1, n)
        if n >= 5000:
            ref, cur = r6(ref), r6(cur)
        add(f"normal_shift_equal_{n}", ref, cur, comment=f"normal vs normal shifted by {shift}, n1 == n2")

    g = rng(108)
    add("normal_shift_137_250", g.normal(0, 1, 137), g.normal(0.2, 1, 250),
        comment="unequal sizes, exact KS inside method")

    g = rng(109)
    add("normal_shift_3000_7001", r6(g.normal(0, 1, 3000)), r6(g.normal(0.05, 1, 7001)),
        comment="unequal sizes, exact KS inside method, lcm large")

    g = rng(110)
    add("very_different_sizes_20_5000", g.normal(0, 1, 20), r6(g.normal(0.3, 1, 5000)),
        comment="very different sizes (small reference)")

    g = rng(111)
    add("very_different_sizes_9000_40", r6(g.normal(0, 1, 9000)), g.normal(0.3, 1, 40),
        comment="very different sizes (small current)")

    g = rng(112)
    add("ks_boundary_10000_9999", r6(g.normal(0, 1, 10000)), r6(g.normal(0.02, 1, 9999)),
        comment="max(n) == 10000: still exact")

    g = rng(113)
    add("asymp_12000_9000", r6(g.normal(0, 1, 12000)), r6(g.normal(0.03, 1, 9000)),
        comment="max(n) > 10000: asymptotic KS")

    g = rng(114)
    add("asymp_20000_15000", r6(g.normal(0, 1, 20000)), r6(g.normal(0.02, 1, 15000)),
        comment="max(n) > 10000: asymptotic KS")

    g = rng(115)
    add("asymp_equal_10001", r6(g.normal(0, 1, 10001)), r6(g.normal(0.5, 1, 10001)),
        comment="n1 == n2 > 10000: asymptotic KS even though sizes are equal; strong drift")

    g = rng(116)
    add("tiny_p_equal_2000", r6(g.normal(0, 1, 2000)), r6(g.normal(1.0, 1, 2000)),
        comment="strong drift, moderate n, equal sizes: tiny exact p-value")

    g = rng(117)
    add("tiny_p_1500_2500", r6(g.normal(0, 1, 1500)), r6(g.normal(0.5, 1, 2500)),
        comment="strong drift, moderate n, unequal sizes: tiny exact p-value")

    g = rng(118)
    add("tiny_p_137_250_far", g.normal(0, 1, 137), g.normal(3, 1, 250),
        comment="D near 1 with unequal sizes: exact p 1e-69, asymptotic would be 1e-77")

    g = rng(119)
    add("large_p_800_1200", g.normal(0, 1, 800), g.normal(0, 1, 1200),
        comment="same distribution: large p-value")

    g = rng(120)
    add("small_sizes_5_7", g.normal(0, 1, 5), g.normal(0.5, 1, 7), comment="tiny samples")

    add("single_values_1_1", [1.5], [2.5], comment="one value each")

    g = rng(121)
    add("ties_poisson_1000_1200", g.poisson(2.0, 1000), g.poisson(2.4, 1200),
        comment="integer data with few distinct values: quantile edges collapse")

    g = rng(122)
    add("ties_three_values", g.choice([0.0, 1.0, 2.0], 600, p=[0.7, 0.2, 0.1]),
        g.choice([0.0, 1.0, 2.0], 400, p=[0.5, 0.3, 0.2]),
        comment="three distinct values: edges collapse to few")

    g = rng(123)
    add("ties_equal_sizes_int", g.integers(0, 5, 300), g.integers(0, 6, 300),
        comment="integers, equal sizes, a value absent from the reference")

    g = rng(124)
    add("constant_reference", np.full(300, 5.0), g.normal(5, 1, 300),
        comment="constant reference: one edge, Wasserstein undefined")

    g = rng(125)
    add("constant_reference_0_1", np.full(100, 0.1), g.normal(0.1, 0.05, 200),
        comment="constant reference 0.1 x 100 (np.std gives 2.8e-17, not 0): Wasserstein still undefined")

    add("both_constant_same", np.full(100, 3.0), np.full(80, 3.0),
        comment="both constant and equal: all 0, Wasserstein undefined")

    g = rng(126)
    add("single_value_current", g.normal(0, 1, 400), np.full(350, 0.0),
        comment="a single distinct value in current")

    g = rng(127)
    add("missing_mixed", with_missing(g.normal(0, 1, 400), g, 17), with_missing(g.normal(0.2, 1, 300), g, 31),
        comment="NaN, +Inf, -Inf mixed in both samples")

    g = rng(128)
    add("missing_heavy", with_missing(g.normal(10, 2, 500), g, 150), with_missing(g.normal(10, 2.5, 500), g, 250),
        comment="30% and 50% missing; equal raw sizes but unequal non-missing sizes")

    g = rng(129)
    add("bins_5", g.normal(0, 1, 600), g.normal(0.3, 1.2, 500), bins=5, comment="5 bins")

    g = rng(130)
    add("bins_20", g.normal(0, 1, 2000), g.normal(0.1, 1, 1800), bins=20, comment="20 bins")

    g = rng(131)
    add("bins_3", g.exponential(1, 700), g.exponential(1.3, 700), bins=3, comment="3 bins, equal sizes")

    g = rng(132)
    add("bins_50_small_n", g.normal(0, 1, 120), g.normal(0, 1, 90), bins=50,
        comment="50 bins on 120 values: empty current bins get eps")

    g = rng(133)
    add("bins_1", g.normal(0, 1, 100), g.normal(1, 1, 100), bins=1,
        comment="one bin: no inner edges, binned statistics 0")

    g = rng(134)
    add("lognormal_heavy_tail", g.lognormal(0, 1.5, 3000), g.lognormal(0.2, 1.5, 2500),
        comment="lognormal, heavy right tail")

    g = rng(135)
    add("cauchy_scale", g.standard_cauchy(1000), 2 * g.standard_cauchy(1000),
        comment="Cauchy, scale doubled (no finite variance in theory)")

    g = rng(136)
    add("negative_values", g.normal(-1000, 50, 700), g.normal(-1010, 50, 650), comment="negative values")

    g = rng(137)
    add("scale_change", g.normal(0, 1, 1000), g.normal(0, 2, 1000), comment="same mean, variance x4")

    g = rng(138)
    add("extreme_magnitudes", g.normal(0, 1, 300) * 1e9, g.normal(0.1, 1, 300) * 1e9,
        comment="values around 1e9")

    g = rng(139)
    add("tiny_magnitudes", g.normal(0, 1, 300) * 1e-9, g.normal(0.1, 1, 310) * 1e-9,
        comment="values around 1e-9")
    return cases


def categorical_cases():
    """(name, reference, current, comment)"""
    cases = []

    def add(name, ref, cur, comment=""):
        cases.append((name, list(ref), list(cur), comment))

    g = rng(201)
    x = categories(g, ["a", "b", "c", "d"], [4, 3, 2, 1], 500)
    add("cat_identical", x, list(x), comment="same sample twice: all 0, chi-square p 1")

    g = rng(202)
    add("cat_shifted", categories(g, list("ABCDE"), [5, 4, 3, 2, 1], 1000),
        categories(g, list("ABCDE"), [1, 2, 3, 4, 5], 800), comment="proportions reversed")

    g = rng(203)
    add("cat_mild_shift", categories(g, ["red", "green", "blue"], [0.5, 0.3, 0.2], 2000),
        categories(g, ["red", "green", "blue"], [0.48, 0.31, 0.21], 2000), comment="mild change, large p")

    g = rng(204)
    add("cat_only_in_reference", categories(g, ["x", "y", "z"], [1, 1, 1], 300),
        categories(g, ["x", "y"], [1, 1], 300), comment="category z only in the reference")

    g = rng(205)
    add("cat_only_in_current", categories(g, ["x", "y"], [1, 1], 300),
        categories(g, ["x", "y", "new"], [1, 1, 0.2], 300), comment="category 'new' only in current: eps in E")

    g = rng(206)
    names = [f"c{i:02d}" for i in range(30)]
    add("cat_many_30", categories(g, names, np.arange(1, 31), 5000),
        categories(g, names, np.arange(30, 0, -1) ** 0.5, 4000), comment="30 categories")

    add("cat_single_category", ["only"] * 50, ["only"] * 70, comment="one category: df 0, p undefined")

    g = rng(207)
    add("cat_single_vs_two", ["A"] * 40, categories(g, ["A", "B"], [3, 1], 60),
        comment="reference has one category, current adds one")

    g = rng(208)
    add("cat_missing", cat_with_missing(categories(g, ["p", "q", "r"], [2, 1, 1], 400), g, 23),
        cat_with_missing(categories(g, ["p", "q", "r"], [1, 1, 2], 350), g, 41), comment="missing (empty) values")

    g = rng(209)
    add("cat_disjoint", categories(g, ["a", "b"], [1, 1], 200), categories(g, ["c", "d"], [1, 1], 200),
        comment="disjoint categories: JS near sqrt(ln 2)")

    g = rng(210)
    add("cat_small_counts", categories(g, ["US", "FR", "DE", "JP"], [1, 1, 1, 1], 9),
        categories(g, ["US", "FR", "DE", "JP"], [1, 1, 1, 1], 7), comment="a handful of values")

    g = rng(211)
    add("cat_numeric_looking", categories(g, ["1", "2", "10", "x"], [3, 2, 1, 1], 300),
        categories(g, ["1", "2", "10", "x"], [1, 2, 3, 1], 300),
        comment="numeric-looking tokens: categories sort as strings ('1' < '10' < '2' < 'x')")
    return cases


# ------------------------------------------------------------------------------------------ writing

def fmt(x):
    """repr of a Python float: round-trip exact; nan, inf, -inf for the non-finite ones."""
    return repr(float(x))


def fmt_opt(x):
    return "none" if x is None else fmt(x)


def cross_check(res, r_counts, c_counts):
    """Agreements that must hold whatever the data (independent formulations)."""
    r = rs.proportions(r_counts, int(np.sum(r_counts)))
    c = rs.proportions(c_counts, int(np.sum(c_counts)))
    js_sp = rs.js_scipy(r, c)
    assert math.isclose(res["js"], js_sp, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(js_sp) and res["js"] < 1e-7), (res["js"], js_sp)
    assert math.isclose(res["kl"], float(stats.entropy(r, c)), rel_tol=1e-9, abs_tol=1e-12)
    assert 0.0 <= res["js"] <= math.sqrt(math.log(2)) + 1e-12


def write_case(name, kind, bins, ref_tokens, cur_tokens, res, comment):
    lines = [
        "# generated by generate.py (numpy %s, scipy %s); do not edit" % (np.__version__, __import__("scipy").__version__),
    ]
    if comment:
        lines.append("# " + comment)
    if kind == "numeric":
        lines.append("# ks path: %s" % res["ks_path"])
        lines.append("# reference bin counts: " + " ".join(map(str, res["reference_bin_counts"])))
        lines.append("# current bin counts: " + " ".join(map(str, res["current_bin_counts"])))
    else:
        lines.append("# categories: " + " ".join(res["categories"]))
        lines.append("# reference counts: " + " ".join(map(str, res["reference_bin_counts"])))
        lines.append("# current counts: " + " ".join(map(str, res["current_bin_counts"])))
    lines += [
        "name " + name,
        "type " + kind,
        "bins %d" % bins,
        " ".join(["reference"] + ref_tokens),
        " ".join(["current"] + cur_tokens),
        "expect reference_count %d" % res["reference_count"],
        "expect current_count %d" % res["current_count"],
        "expect reference_missing %d" % res["reference_missing"],
        "expect current_missing %d" % res["current_missing"],
    ]
    if kind == "numeric":
        lines.append(" ".join(["expect edges"] + [fmt(e) for e in res["edges"]]))
    lines += [
        "expect psi " + fmt(res["psi"]),
        "expect kl " + fmt(res["kl"]),
        "expect js " + fmt(res["js"]),
    ]
    if kind == "numeric":
        lines += [
            "expect ks_statistic " + fmt(res["ks_statistic"]),
            "expect ks_p_value " + fmt(res["ks_p_value"]),
            "expect ks_method " + res["ks_method"],
            "expect wasserstein " + fmt_opt(res["wasserstein"]),
        ]
    else:
        lines += [
            "expect chisq_statistic " + fmt(res["chisq_statistic"]),
            "expect chisq_p_value " + fmt_opt(res["chisq_p_value"]),
            "expect chisq_df %d" % res["chisq_df"],
        ]
    with open(os.path.join(CASES_DIR, name + ".case"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def generate_cases():
    if os.path.isdir(CASES_DIR):
        shutil.rmtree(CASES_DIR)
    os.makedirs(CASES_DIR)
    summary = []
    for name, bins, ref, cur, comment in numeric_cases():
        res = rs.numeric_column(ref, cur, bins)
        cross_check(res, res["reference_bin_counts"], res["current_bin_counts"])
        write_case(name, "numeric", bins, [fmt(v) for v in ref], [fmt(v) for v in cur], res, comment)
        summary.append((name, "numeric", res["ks_path"]))
    for name, ref, cur, comment in categorical_cases():
        for v in ref + cur:
            assert " " not in v and v != MISSING_TOKEN
        res = rs.categorical_column(ref, cur)
        cross_check(res, res["reference_bin_counts"], res["current_bin_counts"])
        tok = lambda v: MISSING_TOKEN if v == "" else v
        write_case(name, "categorical", rs.DEFAULT_BINS, [tok(v) for v in ref], [tok(v) for v in cur], res, comment)
        summary.append((name, "categorical", "-"))
    return summary


# ------------------------------------------------------------------------------ Anderson-Darling

def read_case_samples(path):
    """(name, type, reference tokens, current tokens) of a case file."""
    fields = {}
    with open(path) as f:
        for line in f:
            tokens = line.rstrip("\n").split(" ")
            if tokens[0] in ("name", "type", "reference", "current"):
                fields[tokens[0]] = tokens[1:]
    return fields["name"][0], fields["type"][0], fields["reference"], fields["current"]


def generate_anderson_darling():
    """anderson_darling.txt: the Anderson-Darling test of every numeric case, read back from cases/."""
    lines = [
        "# generated by generate.py (numpy %s, scipy %s); do not edit" % (np.__version__, __import__("scipy").__version__),
        "# scipy.stats.anderson_ksamp([reference, current], variant='midrank') on the finite values of each",
        "# numeric case of cases/: <case> <statistic> <p-value> interpolated|capped|floored, or <case> none none none",
    ]
    counted = {}
    for f in sorted(os.listdir(CASES_DIR)):
        name, kind, ref, cur = read_case_samples(os.path.join(CASES_DIR, f))
        if kind != "numeric":
            continue
        res = rs.anderson_darling(rs.split_numeric([float(v) for v in ref])[0],
                                  rs.split_numeric([float(v) for v in cur])[0])
        method = "none" if res is None else res[2]
        counted[method] = counted.get(method, 0) + 1
        lines.append("%s none none none" % name if res is None else "%s %s %s %s" % (name, fmt(res[0]), fmt(res[1]), method))
    with open(AD_FILE, "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    return counted


# ----------------------------------------------------------------------------------------- demo CSVs

def demo_frame(g, n, drifted):
    """Columns of the demo data set; 'drifted' shifts age and income and changes the country mix."""
    age = np.clip(np.round(g.normal(42 + (6 if drifted else 0), 12, n)), 18, 90).astype(int)
    income = np.round(g.lognormal(10.6 + (0.25 if drifted else 0.0), 0.6, n), 2)
    credit = np.clip(np.round(g.normal(680, 60, n)), 300, 850).astype(int)
    tenure = g.integers(0, 121, n)
    countries = ["US", "GB", "DE", "FR", "IN", "BR"]
    mix = [0.15, 0.15, 0.15, 0.15, 0.25, 0.15] if drifted else [0.35, 0.15, 0.15, 0.12, 0.13, 0.10]
    country = g.choice(countries, n, p=mix)
    device = g.choice(["mobile", "desktop", "tablet"], n, p=[0.55, 0.35, 0.10])
    score = np.round(g.beta(2.0, 5.0, n), 4)
    cols = {
        "age": [str(v) for v in age],
        "income": [repr(float(v)) for v in income],
        "credit_score": [str(v) for v in credit],
        "tenure_months": [str(v) for v in tenure],
        "country": [str(v) for v in country],
        "device": [str(v) for v in device],
        "score": [repr(float(v)) for v in score],
    }
    # a few empty cells here and there
    for name in ["age", "income", "credit_score", "country", "device", "score"]:
        for p in g.choice(n, size=int(g.integers(3, 15)), replace=False):
            cols[name][p] = ""
    return cols


def write_csv(path, cols):
    names = list(cols)
    n = len(cols[names[0]])
    with open(path, "w", newline="\n") as f:
        f.write(",".join(names) + "\n")
        for i in range(n):
            f.write(",".join(cols[c][i] for c in names) + "\n")


def generate_demo():
    write_csv(os.path.join(HERE, "demo-reference.csv"), demo_frame(rng(301), 5000, drifted=False))
    write_csv(os.path.join(HERE, "demo-current.csv"), demo_frame(rng(303), 3000, drifted=True))


def main():
    if sys.argv[1:] == ["--anderson-darling"]:
        print("generate.py: anderson_darling.txt %s" % ", ".join("%s=%d" % kv for kv in sorted(
            generate_anderson_darling().items())))
        return
    summary = generate_cases()
    generate_anderson_darling()
    generate_demo()
    paths = {}
    for _, kind, path in summary:
        if kind == "numeric":
            paths[path] = paths.get(path, 0) + 1
    size = sum(os.path.getsize(os.path.join(CASES_DIR, f)) for f in os.listdir(CASES_DIR))
    print("generate.py: %d cases (%d numeric, %d categorical), ks paths %s, %d bytes in cases/" % (
        len(summary), sum(1 for s in summary if s[1] == "numeric"), sum(1 for s in summary if s[1] == "categorical"),
        ", ".join("%s=%d" % kv for kv in sorted(paths.items())), size))


if __name__ == "__main__":
    main()
