#!/usr/bin/env python3
"""Writes labels.txt: classification and regression cases with numpy reference values for
ConfusionCounts (accuracy, macro-F1) and RegressionErrors (MAE, RMSE, bias).

Macro-F1 is scikit-learn's f1_score(average="macro") computed with numpy: the mean over the classes that occur
as true or predicted class of 2TP / (2TP + FP + FN). With more classes than the matrix names (K), the classes
beyond the K lexicographically smallest are one class "other" whose true positives are its correct predictions.

Run: python3 generate_labels.py > labels.txt
"""
import numpy as np

rng = np.random.default_rng(2126)
NAMES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "ibis", "jay", "koi", "lynx"]


def macro_f1(truth, pred, named):
    other = "(other)"
    t = np.array([x if x in named else other for x in truth])
    p = np.array([x if x in named else other for x in pred])
    exact = np.array(truth) == np.array(pred)
    scores = []
    for c in sorted(set(t) | set(p)):
        tp = np.sum((t == c) & (p == c)) if c != other else np.sum(exact & (t == other))
        fp = np.sum(p == c) - tp
        fn = np.sum(t == c) - tp
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def classification(name, k, classes, n, right):
    truth = list(rng.choice(classes, size=n))
    pred = [x if rng.random() < right else str(rng.choice(classes)) for x in truth]
    named = set(sorted(set(truth) | set(pred))[:k])
    acc = float(np.mean(np.array(truth) == np.array(pred)))
    print(f"case {name} classification {k}")
    for a, b in zip(truth, pred):
        print(f"row {a} {b}")
    print(f"expect {acc!r} {macro_f1(truth, pred, named)!r}")


def regression(name, n, noise, offset):
    truth = rng.normal(50, 10, size=n)
    pred = truth + offset + rng.normal(0, noise, size=n)
    e = pred - truth
    print(f"case {name} regression 0")
    for a, b in zip(truth, pred):
        print(f"row {float(a)!r} {float(b)!r}")
    print(f"expect {float(np.mean(np.abs(e)))!r} {float(np.sqrt(np.mean(e ** 2)))!r} {float(np.mean(e))!r}")


classification("five-classes-exact", 10, NAMES[:5], 500, 0.7)
classification("twelve-classes-four-named", 4, NAMES, 600, 0.6)
classification("binary-all-right", 2, NAMES[:2], 50, 1.0)
regression("unbiased", 400, 2.0, 0.0)
regression("biased", 300, 5.0, 3.0)
