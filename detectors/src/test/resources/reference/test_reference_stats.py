"""Self-test of reference_stats.py against hand-computable examples, and of the fixture files.

Run: python3 test_reference_stats.py   (plain asserts, no pytest needed)
"""

import math
import os
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference_stats as rs  # noqa: E402

EPS = 1e-4


def close(a, b, tol=1e-12):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def test_missing():
    vals, miss = rs.split_numeric([math.nan, math.inf, -math.inf, 1.0, -2.5])
    assert list(vals) == [1.0, -2.5] and miss == 3
    cats, miss = rs.split_categorical(["", "a", "b", ""])
    assert cats == ["a", "b"] and miss == 2


def test_edges():
    ref = [4.0, 1.0, 3.0, 2.0]
    assert list(rs.numeric_edges(ref, 2)) == [2.5]
    # q = .25 .5 .75 -> virtual index (n-1)q = .75 1.5 2.25 -> 1.75 2.5 3.25
    assert list(rs.numeric_edges(ref, 4)) == [1.75, 2.5, 3.25]
    # duplicates collapse
    assert list(rs.numeric_edges([1.0, 1.0, 1.0, 1.0, 2.0], 4)) == [1.0]
    assert list(rs.numeric_edges([7.0] * 10, 10)) == [7.0]
    assert list(rs.numeric_edges([1.0, 2.0], 1)) == []
    # 0..10 with B = 5 -> 2, 4, 6, 8
    assert list(rs.numeric_edges(np.arange(11.0), 5)) == [2.0, 4.0, 6.0, 8.0]


def test_bin_assignment():
    edges = np.array([1.0, 2.0])
    # v falls in bin i where i = number of edges <= v: a value on an edge goes up
    assert list(rs.numeric_counts([0.5, 1.0, 1.5, 2.0, 9.0, -9.0], edges)) == [2, 2, 2]
    assert list(rs.numeric_counts([5.0], np.array([]))) == [1]


def test_categorical_counts():
    cats, rc, cc = rs.categorical_counts(["b", "a", "b"], ["c", "a"])
    assert cats == ["a", "b", "c"] and list(rc) == [1, 2, 0] and list(cc) == [1, 0, 1]


def test_proportions_eps():
    p = rs.proportions([0, 3, 1], 4)
    assert list(p) == [EPS, 0.75, 0.25]  # only the zero is replaced, nothing renormalised


def test_psi_kl_js_two_bins():
    r, c = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    # PSI = (0.25-0.5) ln(0.5) + (0.75-0.5) ln(1.5) = 0.25 ln 3
    assert close(rs.psi(r, c), 0.25 * math.log(3))
    # KL = 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.5 ln(4/3)
    assert close(rs.kl(r, c), 0.5 * math.log(4 / 3))
    # JS: m = (0.375, 0.625)
    m = (0.375, 0.625)
    div = 0.5 * (0.5 * math.log(0.5 / m[0]) + 0.5 * math.log(0.5 / m[1])) \
        + 0.5 * (0.25 * math.log(0.25 / m[0]) + 0.75 * math.log(0.75 / m[1]))
    assert close(rs.js(r, c), math.sqrt(div))
    assert close(rs.js(r, c), rs.js_scipy(r, c))
    # identical
    assert rs.psi(r, r) == 0.0 and rs.kl(r, r) == 0.0 and rs.js(r, r) == 0.0


def test_psi_with_eps_not_renormalised():
    # counts [2, 2] vs [0, 3]: r = (.5, .5), c = (1e-4, 1)
    r, c = rs.proportions([2, 2], 4), rs.proportions([0, 3], 3)
    expected = (EPS - 0.5) * math.log(EPS / 0.5) + (1 - 0.5) * math.log(1 / 0.5)
    assert close(rs.psi(r, c), expected)
    # KL renormalises c to (1e-4, 1)/1.0001
    ch = (EPS / 1.0001, 1 / 1.0001)
    assert close(rs.kl(r, c), 0.5 * math.log(0.5 / ch[0]) + 0.5 * math.log(0.5 / ch[1]))


def test_js_range_and_scipy_agreement():
    tiny = 1e-15
    p, q = np.array([1 - tiny, tiny]), np.array([tiny, 1 - tiny])
    assert abs(rs.js(p, q) - math.sqrt(math.log(2))) < 1e-6
    g = np.random.default_rng(7)
    for _ in range(200):
        k = int(g.integers(2, 40))
        r = rs.proportions(g.integers(0, 20, k), 1)
        c = rs.proportions(g.integers(0, 20, k), 1)
        r, c = r / r.sum(), c / c.sum()
        assert close(rs.js(r, c), rs.js_scipy(r, c), 1e-10)
        assert close(rs.kl(r, c), float(stats.entropy(r, c)), 1e-10)


def test_ks():
    # disjoint, equal sizes: D = 1, p = 2 / C(6, 3) = 0.1 (two extreme paths)
    d, p, method = rs.ks([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    assert d == 1.0 and close(p, 0.1) and method == "exact"
    assert rs.ks_path(3, 3, method) == "exact-square"
    # disjoint, unequal: p = 2 / C(5, 2) = 0.2
    d, p, method = rs.ks([1.0, 2.0], [3.0, 4.0, 5.0])
    assert d == 1.0 and close(p, 0.2) and rs.ks_path(2, 3, method) == "exact-inside"
    # ties: F_ref(1) = 2/3, F_cur(1) = 1/3
    d, p, _ = rs.ks([1.0, 1.0, 2.0], [1.0, 2.0, 2.0])
    assert close(d, 1 / 3)
    # identical: D = 0, p = 1
    d, p, _ = rs.ks([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert d == 0.0 and p == 1.0
    # D computed by hand from the ECDFs on a random sample
    g = np.random.default_rng(3)
    a, b = g.normal(0, 1, 300), g.normal(0.3, 1, 200)
    grid = np.concatenate([a, b])
    ecdf = lambda x: np.searchsorted(np.sort(x), grid, side="right") / len(x)
    assert close(rs.ks(a, b)[0], float(np.max(np.abs(ecdf(a) - ecdf(b)))), 1e-12)
    # asymptotic above 10000: Kolmogorov distribution at round(n m / (n + m))
    a, b = g.normal(0, 1, 10001), g.normal(0.03, 1, 5000)
    d, p, method = rs.ks(a, b)
    assert method == "asymp" and rs.ks_path(10001, 5000, method) == "asymp"
    assert close(p, float(stats.kstwo.sf(d, round(10001 * 5000 / 15001))), 1e-12)
    assert rs.ks(g.normal(0, 1, 10000), g.normal(0, 1, 10))[2] == "exact"


def test_wasserstein():
    # W1([0, 1], [1, 2]) = 1, population std of [0, 1] = 0.5
    assert close(rs.wasserstein([0.0, 1.0], [1.0, 2.0]), 2.0)
    # W1 = integral |F - G|: [0, 0, 3] vs [1]: 2/3 * 1 + 1/3 * 2 = 4/3; std([0,0,3]) = sqrt(2)
    assert close(rs.wasserstein([0.0, 0.0, 3.0], [1.0]), (4 / 3) / math.sqrt(2))
    assert rs.wasserstein([5.0, 5.0, 5.0], [1.0, 2.0]) is None
    assert rs.wasserstein([0.1] * 100, [1.0]) is None  # although np.std gives 2.8e-17 here


def test_chisq():
    # E = (50, 50), O = (30, 70): (400 + 400) / 50 = 16, df 1
    stat, p, df = rs.chisq([50, 50], [30, 70])
    assert close(stat, 16.0) and df == 1
    assert close(p, math.erfc(math.sqrt(8)), 1e-12)  # chi2(1).sf(x) = erfc(sqrt(x / 2))
    # a category only in current: r = (1, 1e-4), rh = r / 1.0001, E = 10 rh
    stat, p, df = rs.chisq([10, 0], [5, 5])
    e = (10 / 1.0001, 10 * EPS / 1.0001)
    assert close(stat, (5 - e[0]) ** 2 / e[0] + (5 - e[1]) ** 2 / e[1])
    stat, p, df = rs.chisq([10], [7])
    assert stat == 0.0 and p is None and df == 0


def test_csv_column_typing():
    res = rs.csv_column(["1", "2.5", "", "nan"], ["3", "inf", "-inf"], bins=2)
    assert res["type"] == "numeric" and res["reference_missing"] == 2 and res["current_missing"] == 2
    res = rs.csv_column(["1", "a", ""], ["1"], bins=2)
    assert res["type"] == "categorical" and res["reference_missing"] == 1 and res["categories"] == ["1", "a"]
    res = rs.csv_column(["1", "2"], ["2"], categorical=True)
    assert res["type"] == "categorical"


def test_column_hand_example():
    res = rs.numeric_column([1.0, 2.0, 3.0, 4.0, math.nan], [2.5, 3.5, 4.5, math.inf], bins=2)
    assert res["edges"] == [2.5] and res["reference_bin_counts"] == [2, 2] and res["current_bin_counts"] == [0, 3]
    assert close(res["psi"], (EPS - 0.5) * math.log(EPS / 0.5) + 0.5 * math.log(2))


def _ad_by_formula(x, y):
    """Scholz and Stephens (1987) equation 7 and the variance of their equation 4 for k = 2, written out
    with plain Python loops: the unstandardised A2akN and sigma_N."""
    pooled = sorted(x + y)
    big_n = len(pooled)
    distinct = sorted(set(pooled))
    a2 = 0.0
    for sample in (x, y):
        n = len(sample)
        inner = 0.0
        for z in distinct:
            l = pooled.count(z)
            b = sum(1 for v in pooled if v < z) + l / 2
            m = sum(1 for v in sample if v < z) + sample.count(z) / 2
            inner += l / big_n * (big_n * m - b * n) ** 2 / (b * (big_n - b) - big_n * l / 4)
        a2 += inner / n
    a2 *= (big_n - 1) / big_n
    k, h_big = 2, 1 / len(x) + 1 / len(y)
    h = sum(1 / i for i in range(1, big_n))
    g = sum(1 / ((big_n - i) * j) for i in range(1, big_n - 1) for j in range(i + 1, big_n))
    a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * h_big
    bb = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * h_big - 8 * h + 4 * g - 6
    c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * h_big + 4 * h
    d = (2 * h + 6) * k ** 2 - 4 * h * k
    var = (a * big_n ** 3 + bb * big_n ** 2 + c * big_n + d) / ((big_n - 1) * (big_n - 2) * (big_n - 3))
    return a2, math.sqrt(var)


def test_anderson_darling():
    # ties across and within the samples: the midrank statistic
    x, y = [1.0, 2.0, 2.0, 3.0, 5.0, 8.0], [2.0, 3.0, 4.0, 4.0, 9.0, 9.0, 10.0]
    a2, sigma = _ad_by_formula(x, y)
    stat, p, method = rs.anderson_darling(x, y)
    assert close(stat, (a2 - 1) / sigma, 1e-12) and method in ("interpolated", "capped", "floored")
    # the p-value brackets: capped at 0.25 (true p larger), floored at 0.001 (true p smaller)
    assert rs.anderson_darling(list(range(10)), list(range(10)))[1:] == (0.25, "capped")
    assert rs.anderson_darling(list(range(10)), list(range(20, 30)))[1:] == (0.001, "floored")
    # undefined: one distinct value, or fewer than 4 values in all
    assert rs.anderson_darling([3.0, 3.0], [3.0, 3.0]) is None
    assert rs.anderson_darling([1.0, 2.0], [3.0]) is None


def test_anderson_darling_fixture():
    """anderson_darling.txt names every numeric case once and recomputes to the written values."""
    numeric = []
    for fname in sorted(os.listdir(os.path.join(HERE, "cases"))):
        case = parse_case(os.path.join(HERE, "cases", fname))
        if case["type"] == ["numeric"]:
            numeric.append(case)
    with open(os.path.join(HERE, "anderson_darling.txt")) as f:
        lines = [line.split(" ") for line in f.read().split("\n") if line and not line.startswith("#")]
    assert [line[0] for line in lines] == [c["name"][0] for c in numeric]
    for line, case in zip(lines, numeric):
        ref = rs.split_numeric([float(v) for v in case["reference"]])[0]
        cur = rs.split_numeric([float(v) for v in case["current"]])[0]
        res = rs.anderson_darling(ref, cur)
        want = ["none", "none", "none"] if res is None else [repr(res[0]), repr(res[1]), res[2]]
        assert line[1:] == want, (line, want)


def parse_case(path):
    case = {"expect": {}}
    with open(path) as f:
        for line in f.read().split("\n"):
            if line == "" or line.startswith("#"):
                continue
            tokens = line.split(" ")
            assert all(t != "" for t in tokens), (path, line[:60])
            if tokens[0] == "expect":
                case["expect"][tokens[1]] = tokens[2:]
            else:
                case[tokens[0]] = tokens[1:]
    return case


def test_fixtures_round_trip():
    """Every fixture re-parses (split on single spaces) and recomputes to the same written values."""
    cases_dir = os.path.join(HERE, "cases")
    names = sorted(os.listdir(cases_dir))
    assert len(names) >= 40
    for fname in names:
        case = parse_case(os.path.join(cases_dir, fname))
        assert case["name"] == [fname[:-len(".case")]]
        bins = int(case["bins"][0])
        exp = case["expect"]
        if case["type"] == ["numeric"]:
            res = rs.numeric_column([float(v) for v in case["reference"]], [float(v) for v in case["current"]], bins)
            assert [float(e) for e in exp["edges"]] == res["edges"], fname
            keys = ["ks_statistic", "ks_p_value", "wasserstein"]
            assert exp["ks_method"] == [res["ks_method"]]
        else:
            unmiss = lambda v: "" if v == "<MISSING>" else v
            res = rs.categorical_column([unmiss(v) for v in case["reference"]], [unmiss(v) for v in case["current"]])
            keys = ["chisq_statistic", "chisq_p_value"]
            assert exp["chisq_df"] == [str(res["chisq_df"])]
        for k in ["reference_count", "current_count", "reference_missing", "current_missing"]:
            assert exp[k] == [str(res[k])], (fname, k)
        for k in ["psi", "kl", "js"] + keys:
            written = exp[k][0]
            want = "none" if res[k] is None else repr(res[k])
            assert written == want or _within_ulps(written, want, 16), (fname, k, written, want)


def _within_ulps(written, want, ulps):
    """The fixture's value and today's agree to a few units in the last place: numpy releases may sum in
    another order (numpy 2.4 differs from the fixtures' numpy in the last digit of one Wasserstein; numpy 2.4.6
    by 9 units in one KL of about 0.002, a relative 2e-15)."""
    if "none" in (written, want):
        return False
    a, b = float(written), float(want)
    return abs(a - b) <= ulps * math.ulp(max(abs(a), abs(b)))


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f)]
    for name, fn in tests:
        fn()
        print("ok   " + name)
    print("test_reference_stats: %d tests passed" % len(tests))
