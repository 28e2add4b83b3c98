#!/usr/bin/env python3
"""Writes label-topology.txt for LabelTopologyTest: per one-minute window, a classifier's (model clf) predicted
and true classes and a regression model's (model reg) predictions and true values, with numpy's accuracy,
macro-F1 (scikit-learn's average="macro": mean over the classes that occur of 2TP / (2TP + FP + FN)), MAE, RMSE
and bias (mean of prediction - truth). Windows 0 and 1 are the model as validated; in window 2 the classifier is
right half as often and the regression's noise triples.

Run: python3 generate_label_topology.py > label-topology.txt
"""
import numpy as np

rng = np.random.default_rng(2121)
CLASSES = ["cat", "dog", "eel", "fox"]
N = 60


def macro_f1(t, p):
    t, p = np.array(t), np.array(p)
    scores = []
    for c in sorted(set(t) | set(p)):
        tp = np.sum((t == c) & (p == c))
        scores.append(2 * tp / (np.sum(t == c) + np.sum(p == c)))
    return float(np.mean(scores))


for w, (right, noise) in enumerate([(0.92, 1.25), (0.92, 1.25), (0.5, 3.75)]):
    print(f"window {w}")
    truth = [str(x) for x in rng.choice(CLASSES, size=N)]
    pred = [x if rng.random() < right else str(rng.choice(CLASSES)) for x in truth]
    for p, t in zip(pred, truth):
        print(f"clf {p} {t}")
    values = rng.normal(20, 5, size=N)
    predictions = values + rng.normal(0, noise, size=N)
    for p, t in zip(predictions, values):
        print(f"reg {float(p)!r} {float(t)!r}")
    e = predictions - values
    acc = float(np.mean(np.array(truth) == np.array(pred)))
    print(f"expect clf {acc!r} {macro_f1(truth, pred)!r}")
    print(f"expect reg {float(np.mean(np.abs(e)))!r} {float(np.sqrt(np.mean(e ** 2)))!r} {float(np.mean(e))!r}")
