"""Reference values for the AUC tests in test/metrics/metrics.test.ts: Keras 3's AUC
(keras/src/metrics/confusion_metrics.py: thresholds, confusion counts with `pred > threshold`,
ROC trapezoids and interpolate_pr_auc) transcribed into float64 numpy. CI never runs it.
"""
import numpy as np


def thresholds(n):
    return np.array([-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7])


def counts(y, p, th):
    tp, fp, tn, fn = (np.zeros(len(th)) for _ in range(4))
    for yi, pi in zip(y, p):
        for j, t in enumerate(th):
            if yi:
                (tp if pi > t else fn)[j] += 1
            else:
                (fp if pi > t else tn)[j] += 1
    return tp, fp, tn, fn


def no_nan(a, b):
    return np.where(b == 0, 0, a / np.where(b == 0, 1, b))


def roc(tp, fp, tn, fn):
    r, f = no_nan(tp, tp + fn), no_nan(fp, fp + tn)
    return np.sum((f[:-1] - f[1:]) * (r[:-1] + r[1:]) / 2)


def pr(tp, fp, tn, fn):
    dtp = tp[:-1] - tp[1:]
    p = tp + fp
    slope = no_nan(dtp, np.maximum(p[:-1] - p[1:], 0))
    intercept = tp[1:] - slope * p[1:]
    ratio = np.where((p[:-1] > 0) & (p[1:] > 0), no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
    return np.sum(no_nan(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)))


small = counts([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], thresholds(3))
print('3 thresholds: ROC', roc(*small), 'PR', pr(*small))
six = counts([0, 0, 1, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.4, 0.7], thresholds(200))
print('200 thresholds: ROC', roc(*six), 'PR', pr(*six))
