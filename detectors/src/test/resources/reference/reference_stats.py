"""Independent reference for driftwatch's statistical conventions (DESIGN.md, "Statistical conventions").

Everything here is computed from raw arrays with numpy/scipy directly; nothing is shared with the
Java code. The functions are small on purpose so that each one can be read against the design text.

    missing   : NaN, +Inf, -Inf (numeric) or "" (categorical); counted apart, dropped from every test
    bins      : numeric: reference quantiles at k/B (numpy 'linear'), duplicates collapsed,
                value v goes to bin searchsorted(edges, v, side='right') (= number of edges <= v);
                categorical: sorted union of reference and current categories
    r, c      : counts / n, a proportion of exactly 0 becomes EPS = 1e-4
    PSI       : sum((c - r) * ln(c / r))                  (not renormalised)
    KL        : sum(rh * ln(rh / ch)), rh = r/sum(r), ch = c/sum(c)
    JS        : sqrt(KL(rh||m)/2 + KL(ch||m)/2), m = (rh + ch)/2   (a distance, 0..sqrt(ln 2))
    KS        : scipy.stats.ks_2samp(method='auto'): exact when max(n1, n2) <= 10000, else asymptotic
    W1        : scipy.stats.wasserstein_distance(ref, cur) / np.std(ref) (ddof=0); None when std is 0
    chi-square: sum((O - E)^2 / E), O = current counts, E = rh * n_cur, df = k - 1, p = chi2.sf
    AD        : scipy.stats.anderson_ksamp([ref, cur], variant='midrank'); p interpolated, in [0.001, 0.25]

Run as a script to print the statistics of two small hand-written samples.
"""

import math
import warnings

import numpy as np
from scipy import spatial, stats

EPS = 1e-4
DEFAULT_BINS = 10
KS_MAX_EXACT_N = 10000  # scipy's MAX_AUTO_N: 'auto' is exact when max(n1, n2) <= this

MISSING_TOKENS = ("", "nan", "inf", "-inf")  # how the compare CLI spells missing in a CSV cell


# --------------------------------------------------------------------------------------- missing

def split_numeric(values):
    """Return (finite values as float64 array, number of missing values: NaN, +Inf, -Inf)."""
    arr = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(arr)
    return arr[finite], int(arr.size - finite.sum())


def split_categorical(values):
    """Return (non-empty values as a list of str, number of missing values: empty strings)."""
    kept = [v for v in values if v != ""]
    return kept, len(values) - len(kept)


# ------------------------------------------------------------------------------------------ bins

def numeric_edges(reference, bins=DEFAULT_BINS):
    """Inner bin edges: reference quantiles at k/B, k = 1..B-1, numpy 'linear', duplicates collapsed."""
    ref = np.asarray(reference, dtype=np.float64)
    if bins < 1:
        raise ValueError("bins must be >= 1")
    if ref.size == 0:
        raise ValueError("empty reference")
    q = np.arange(1, bins) / bins
    return np.unique(np.quantile(ref, q))  # np.unique also sorts (quantiles are already sorted)


def numeric_counts(values, edges):
    """Counts per bin, len(edges) + 1 bins; bin index = number of edges <= v."""
    idx = np.searchsorted(edges, np.asarray(values, dtype=np.float64), side="right")
    return np.bincount(idx, minlength=len(edges) + 1).astype(np.int64)


def categorical_counts(reference, current):
    """(sorted union of categories, reference counts, current counts)."""
    categories = sorted(set(reference) | set(current))
    pos = {cat: i for i, cat in enumerate(categories)}
    rc = np.zeros(len(categories), dtype=np.int64)
    cc = np.zeros(len(categories), dtype=np.int64)
    for v in reference:
        rc[pos[v]] += 1
    for v in current:
        cc[pos[v]] += 1
    return categories, rc, cc


# ----------------------------------------------------------------------------------- proportions

def proportions(counts, n):
    """counts / n, with every proportion that is exactly 0 replaced by EPS (and only those)."""
    if n <= 0:
        raise ValueError("no non-missing values")
    p = np.asarray(counts, dtype=np.float64) / n
    return np.where(p == 0.0, EPS, p)


def renormalise(p):
    return p / p.sum()


# ------------------------------------------------------------------------------ binned statistics

def psi(r, c):
    return float(np.sum((c - r) * np.log(c / r)))


def kl(r, c):
    """KL(reference || current) on the renormalised proportions, natural log."""
    rh, ch = renormalise(r), renormalise(c)
    return float(np.sum(rh * np.log(rh / ch)))


def js(r, c):
    """Jensen-Shannon distance sqrt(KL(rh||m)/2 + KL(ch||m)/2), m = (rh + ch)/2, natural log."""
    rh, ch = renormalise(r), renormalise(c)
    m = (rh + ch) / 2
    div = 0.5 * np.sum(rh * np.log(rh / m)) + 0.5 * np.sum(ch * np.log(ch / m))
    return float(math.sqrt(max(div, 0.0)))  # rounding could make a zero divergence -1e-17


def js_scipy(r, c):
    """The same distance by scipy (it renormalises its inputs itself); used as a cross-check."""
    return float(spatial.distance.jensenshannon(r, c))


def chisq(ref_counts, cur_counts):
    """Chi-square of the current counts against the reference proportions.

    Returns (statistic, p_value or None when df == 0, df)."""
    r = proportions(ref_counts, int(np.sum(ref_counts)))
    n_cur = int(np.sum(cur_counts))
    expected = renormalise(r) * n_cur
    observed = np.asarray(cur_counts, dtype=np.float64)
    stat = float(np.sum((observed - expected) ** 2 / expected))
    df = len(r) - 1
    p = float(stats.chi2.sf(stat, df)) if df > 0 else None
    return stat, p, df


# ---------------------------------------------------------------------------- raw-value statistics

def ks(reference, current):
    """Two-sided two-sample KS: (D, p-value, 'exact' | 'asymp').

    scipy decides 'exact' when max(n1, n2) <= 10000 and falls back to 'asymp' with a RuntimeWarning
    when the exact computation fails; the warning is caught and reported as 'asymp'."""
    n1, n2 = len(reference), len(current)
    method = "exact" if max(n1, n2) <= KS_MAX_EXACT_N else "asymp"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = stats.ks_2samp(reference, current, alternative="two-sided", method="auto")
    if any("Switching to" in str(w.message) for w in caught):
        method = "asymp"
    return float(res.statistic), float(res.pvalue), method


def ks_path(n1, n2, method):
    """Which code path of the KS p-value applies: 'exact-square', 'exact-inside' or 'asymp'."""
    if method == "asymp":
        return "asymp"
    return "exact-square" if n1 == n2 else "exact-inside"


def wasserstein(reference, current):
    """W1(reference, current) / population std of the reference; None when that std is 0.

    The std is 0 exactly when all reference values are equal; that is tested directly, because
    np.std of a constant such as 0.1 repeated can come out as ~1e-17 instead of 0."""
    ref = np.asarray(reference, dtype=np.float64)
    if ref.size == 0 or np.all(ref == ref[0]):
        return None
    return float(stats.wasserstein_distance(ref, current) / np.std(ref))


def anderson_darling(reference, current):
    """Anderson-Darling 2-sample test as scipy.stats.anderson_ksamp(variant='midrank'):
    (statistic, p-value, 'interpolated' | 'capped' | 'floored'), or None when scipy refuses the data
    (a single distinct value) or its variance is undefined (fewer than 4 values in all).

    scipy interpolates the p-value in Scholz and Stephens' table and keeps it in [0.001, 0.25]: 'capped'
    means the true p-value is above 0.25, 'floored' below 0.001."""
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    if ref.size + cur.size < 4 or np.unique(np.concatenate([ref, cur])).size < 2:
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = stats.anderson_ksamp([ref, cur], variant="midrank")
    method = "interpolated"
    if any("p-value capped" in str(w.message) for w in caught):
        method = "capped"
    elif any("p-value floored" in str(w.message) for w in caught):
        method = "floored"
    return float(res.statistic), float(res.pvalue), method


# ------------------------------------------------------------------------------------- columns

def numeric_column(reference_raw, current_raw, bins=DEFAULT_BINS):
    """Every statistic of a numeric column, as a dict (None marks an undefined value)."""
    ref, ref_missing = split_numeric(reference_raw)
    cur, cur_missing = split_numeric(current_raw)
    edges = numeric_edges(ref, bins)
    rc, cc = numeric_counts(ref, edges), numeric_counts(cur, edges)
    r, c = proportions(rc, ref.size), proportions(cc, cur.size)
    d, p, method = ks(ref, cur)
    return {
        "type": "numeric",
        "reference_count": int(ref.size),
        "current_count": int(cur.size),
        "reference_missing": ref_missing,
        "current_missing": cur_missing,
        "edges": [float(e) for e in edges],
        "reference_bin_counts": [int(x) for x in rc],
        "current_bin_counts": [int(x) for x in cc],
        "psi": psi(r, c),
        "kl": kl(r, c),
        "js": js(r, c),
        "ks_statistic": d,
        "ks_p_value": p,
        "ks_method": method,
        "ks_path": ks_path(ref.size, cur.size, method),
        "wasserstein": wasserstein(ref, cur),
    }


def categorical_column(reference_raw, current_raw):
    """Every statistic of a categorical column, as a dict (None marks an undefined value)."""
    ref, ref_missing = split_categorical(reference_raw)
    cur, cur_missing = split_categorical(current_raw)
    categories, rc, cc = categorical_counts(ref, cur)
    r, c = proportions(rc, len(ref)), proportions(cc, len(cur))
    stat, p, df = chisq(rc, cc)
    return {
        "type": "categorical",
        "reference_count": len(ref),
        "current_count": len(cur),
        "reference_missing": ref_missing,
        "current_missing": cur_missing,
        "categories": categories,
        "reference_bin_counts": [int(x) for x in rc],
        "current_bin_counts": [int(x) for x in cc],
        "psi": psi(r, c),
        "kl": kl(r, c),
        "js": js(r, c),
        "chisq_statistic": stat,
        "chisq_p_value": p,
        "chisq_df": df,
    }


# ---------------------------------------------------------------------------------- CSV columns

def is_missing_cell(cell):
    """A CSV cell is missing when empty or spelled nan, inf or -inf (exactly, as the CLI contract says)."""
    return cell in MISSING_TOKENS


def parses_as_number(cell):
    try:
        float(cell)
        return True
    except ValueError:
        return False


def csv_column(reference_cells, current_cells, bins=DEFAULT_BINS, categorical=False):
    """Statistics of one CSV column given its raw cells (str) in both files.

    Numeric when every non-missing cell of both files parses as a number, unless forced categorical."""
    cells = [x for x in list(reference_cells) + list(current_cells) if not is_missing_cell(x)]
    if not categorical and all(parses_as_number(x) for x in cells):
        to_float = lambda x: math.nan if is_missing_cell(x) else float(x)
        return numeric_column([to_float(x) for x in reference_cells],
                              [to_float(x) for x in current_cells], bins)
    to_cat = lambda x: "" if is_missing_cell(x) else x
    return categorical_column([to_cat(x) for x in reference_cells],
                              [to_cat(x) for x in current_cells])


if __name__ == "__main__":
    print(numeric_column([1.0, 2.0, 3.0, 4.0, float("nan")], [2.5, 3.5, 4.5, float("inf")], bins=2))
    print(categorical_column(["a", "a", "b", ""], ["a", "b", "b", "c"]))
