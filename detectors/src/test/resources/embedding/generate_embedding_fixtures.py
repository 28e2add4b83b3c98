"""Reference values for the embedding statistics (detectors.embedding), computed with numpy.

Run from this directory: python3 generate_embedding_fixtures.py. Writes one case-N.txt per case, each line
'name rows cols v1 v2 ...' (row-major; scalars are 1 x 1). EmbeddingFixturesTest reads them.
"""
import numpy as np


def gaussian_kernel(a, b, sigma):
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2 * sigma ** 2))


def exact_mmd2(x, y, sigma):  # biased V-statistic
    return gaussian_kernel(x, x, sigma).mean() + gaussian_kernel(y, y, sigma).mean() - 2 * gaussian_kernel(x, y, sigma).mean()


def write(f, name, a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    f.write(f"{name} {a.shape[0]} {a.shape[1]} " + " ".join("%.17g" % v if name not in ("w", "b") else "%.12g" % v for v in a.ravel()) + "\n")


CASES = [  # (seed, n, m, d, shift, features)
    (1, 20, 25, 5, 0.0, 1000),
    (2, 30, 30, 8, 0.7, 1000),
    (3, 15, 40, 3, 2.0, 1000),
    (4, 50, 50, 16, 0.3, 1000),
]

for i, (seed, n, m, d, shift, D) in enumerate(CASES, start=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) + 0.5
    y = rng.normal(size=(m, d)) * 1.2 + 0.5 + shift
    iu = np.triu_indices(n, 1)
    dists = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))[iu]
    sigma = float(np.median(dists))
    w = np.round(rng.normal(size=(D, d)) / sigma, 9)
    b = np.round(rng.uniform(0, 2 * np.pi, size=D), 9)
    phi = lambda z: np.sqrt(2.0 / D) * np.cos(z @ w.T + b)
    mx, my = phi(x).mean(0), phi(y).mean(0)
    est = float(((mx - my) ** 2).sum())
    g = D * (mx - my) ** 2
    se = float(g.std(ddof=1) / np.sqrt(D))
    cov = np.cov(x, rowvar=False)
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1]
    k = min(3, d)
    mean_x, mean_y = x.mean(0), y.mean(0)
    cos = 1 - mean_x @ mean_y / (np.linalg.norm(mean_x) * np.linalg.norm(mean_y))
    with open(f"case-{i}.txt", "w") as f:
        write(f, "x", x)
        write(f, "y", y)
        write(f, "mean_x", mean_x)
        write(f, "euclidean", np.linalg.norm(mean_y - mean_x))
        write(f, "cosine", cos)
        write(f, "sigma", sigma)
        write(f, "exact_mmd2", exact_mmd2(x, y, sigma))
        write(f, "w", w)
        write(f, "b", b)
        write(f, "rff_mmd2", est)
        write(f, "rff_se", se)
        write(f, "eigenvalues", vals[order][:k])
        write(f, "components", vecs[:, order[:k]].T)
        write(f, "total_variance", np.trace(cov))
        # The double bootstrap's null (EmbeddingReference): a window of n_j and a pseudo-reference of N drawn from x
        # differ in mean by covariance S·(1/n_j + 1/N), S the plug-in covariance (ddof=0), so n_eff·‖difference‖²
        # has mean trace(S) at every window size (the reference is not split under 200 rows).
        write(f, "plugin_trace", np.trace(np.cov(x, rowvar=False, ddof=0)))
