"""Generates the data-quality fixtures of `driftwatch compare` and their expected values.

reference.csv: 2000 rows; current.csv: 1000 rows, seed 23. Columns:
  age     numeric, 2 % empty in the reference; in the current 10 % empty or NaN, 2 'inf', 60 values of 500
          (outside the reference's [min, max])
  income  numeric, clean in both (no problem expected)
  colour  categorical red/blue/green; the current adds 80 'purple' and 10 'teal' (unseen)
  level   categorical 1/2/3 (compare --categorical level); the current writes 40 of them as '1.0' (a type mismatch, not an unseen category)
  zip     numeric in the reference; the current has 25 'n/a' cells (a type mismatch)
expected.json: per column the shares, the one-sided two-proportion p-value (scipy norm.sf of the pooled z),
the range and the problems, by the definitions of CsvQuality (missing = empty, NaN or +/-inf cells).
Run: python3 generate.py (numpy, scipy).
"""
import json
import math

import numpy as np
from scipy.stats import norm

rng = np.random.default_rng(23)
N_REF, N_CUR = 2000, 1000


def fmt(v):
    return repr(round(float(v), 6))


ref = {"age": [], "income": [], "colour": [], "level": [], "zip": []}
for i in range(N_REF):
    ref["age"].append("" if rng.random() < 0.02 else fmt(rng.normal(40, 10)))
    ref["income"].append(fmt(rng.lognormal(10, 0.5)))
    ref["colour"].append(rng.choice(["red", "blue", "green"], p=[0.5, 0.3, 0.2]))
    ref["level"].append(rng.choice(["1", "2", "3"]))
    ref["zip"].append(str(int(rng.integers(10000, 99999))))

cur = {"age": [], "income": [], "colour": [], "level": [], "zip": []}
for i in range(N_CUR):
    if i < 70:
        cur["age"].append("")
    elif i < 100:
        cur["age"].append("NaN")
    elif i < 102:
        cur["age"].append("inf")
    elif i < 162:
        cur["age"].append("500")
    else:
        cur["age"].append(fmt(rng.normal(40, 10)))
    cur["income"].append(fmt(rng.lognormal(10, 0.5)))
    cur["colour"].append("purple" if 200 <= i < 280 else "teal" if 280 <= i < 290
                         else rng.choice(["red", "blue", "green"], p=[0.5, 0.3, 0.2]))
    cur["level"].append("1.0" if 300 <= i < 340 else rng.choice(["1", "2", "3"]))
    cur["zip"].append("n/a" if 400 <= i < 425 else str(int(rng.integers(10000, 99999))))


def write(path, cols, n):
    names = list(cols)
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(n):
            f.write(",".join(cols[c][i] for c in names) + "\n")


write("reference.csv", ref, N_REF)
write("current.csv", cur, N_CUR)


def missing(cell):
    s = cell.strip().lower().lstrip("+-")
    return s in ("", "nan", "inf", "infinity")


def number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def upper_p(x1, n1, x2, n2):
    p = (x1 + x2) / (n1 + n2)
    v = p * (1 - p) * (1 / n1 + 1 / n2)
    if v <= 0:
        return 1.0
    return float(norm.sf((x1 / n1 - x2 / n2) / math.sqrt(v)))


expected = {}
for c in ref:
    rm = sum(missing(x) for x in ref[c])
    cm = sum(missing(x) for x in cur[c])
    e = {"reference_missing_share": rm / N_REF, "current_missing_share": cm / N_CUR,
         "missing_p_value": upper_p(cm, N_CUR, rm, N_REF)}
    problems = []
    if cm / N_CUR >= rm / N_REF + 0.05 and e["missing_p_value"] <= 0.01:
        problems.append("missing_share")
    ref_numeric = c != "level" and all(missing(x) or number(x) is not None for x in ref[c])
    cur_numeric = c != "level" and all(missing(x) or number(x) is not None for x in cur[c])
    present = [x for x in cur[c] if not missing(x)]
    if ref_numeric and cur_numeric:
        vals = [float(x) for x in ref[c] if not missing(x)]
        lo, hi = min(vals), max(vals)
        out = sum(1 for x in present if not (lo <= float(x) <= hi))
        e.update({"range_low": lo, "range_high": hi, "out_of_range": out, "out_of_range_share": out / len(present)})
        if out / len(present) >= 0.05:
            problems.append("out_of_range")
    elif ref_numeric:
        e["type_mismatch"] = sum(1 for x in present if number(x) is None)
        problems.insert(1 if problems else 0, "type_mismatch")
    else:
        cats = set(ref[c])
        nums = {number(x) for x in cats if number(x) is not None}
        unseen = [x for x in present if x not in cats and not (number(x) is not None and number(x) in nums)]
        mism = [x for x in present if x not in cats and number(x) is not None and number(x) in nums]
        e.update({"unseen": len(unseen), "unseen_share": len(unseen) / len(present), "type_mismatch": len(mism)})
        if mism:
            problems.insert(1 if problems else 0, "type_mismatch")
        if len(unseen) / len(present) >= 0.05:
            problems.append("unseen_categories")
    e["problems"] = problems
    expected[c] = e

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=2, sort_keys=True)
    f.write("\n")
