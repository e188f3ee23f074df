"""Reference AVA frame mAP for AvaFrameMapReferenceTests, computed the way MMAction2's ava_eval does
(mmaction/evaluation/functional/ava_utils.py with ignore_empty_frames=True, its ava_evaluation/metrics.py and
np_box_ops.py), re-implemented here with numpy in the same dtypes: detections go through a result CSV at 4 decimals,
float32 boxes, IoU from np_box_ops' formula, per-frame greedy matching, ranking by np.argsort(float32 scores)[::-1],
VOC AP, nanmeans.

Writes tests/Cluster.Tests/Fixtures/Ava/: label_map.pbtxt, gt.csv, exclude.csv, detections.csv (float32 values,
class = label-map id) and expected.txt ("<class id> <AP>" per evaluated class, then "overall", "person_movement",
"object_manipulation", "person_interaction"; "nan" where MMAction2 gets NaN).
Run: /usr/bin/python3 tests/fixtures-scripts/ava_frame_map_reference.py
"""
import csv
import io
import os
from collections import defaultdict

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'Cluster.Tests', 'Fixtures', 'Ava')
CLASSES = {1: 'stand', 5: 'sit', 12: 'walk', 17: 'carry', 40: 'read', 64: 'talk', 70: 'hug', 80: 'watch'}
NEVER_ANNOTATED = 80   # detected, never annotated: AP NaN
NEVER_DETECTED = 40    # annotated, never detected: left out
TIED = 70              # few detections with tied scores (numpy's small-array argsort order)
rng = np.random.default_rng(6)


def random_box():
    x1, y1 = rng.uniform(0, 0.6, 2)
    w, h = rng.uniform(0.15, 0.4, 2)
    return np.array([x1, y1, min(x1 + w, 1), min(y1 + h, 1)], dtype=np.float32)


def jitter(box, scale):
    return np.clip(box + rng.normal(0, scale, 4).astype(np.float32), 0, 1).astype(np.float32)


def write_inputs():
    gt_rows, det_rows, excluded = [], [], []
    tied_left = [12]
    unique_scores = iter(rng.permutation(np.arange(1, 9999)) / 10000.0)  # distinct after 4-decimal rounding
    for v in range(6):
        video = f'vid{v:02d}'
        for t in range(902, 910):
            if rng.random() < 0.15:          # keyframe without annotations; detections there count for nothing
                for _ in range(2):
                    det_rows.append((video, t, random_box(), int(rng.choice([1, 5])), np.float32(rng.random())))
                continue
            if rng.random() < 0.1:
                excluded.append((video, t))
            for person in range(int(rng.integers(1, 4))):
                box = random_box()
                labels = rng.choice([c for c in CLASSES if c != NEVER_ANNOTATED], size=int(rng.integers(1, 3)), replace=False)
                for label in labels:
                    gt_rows.append((video, t, box, int(label), person))
                    if label == NEVER_DETECTED or rng.random() < 0.2:
                        continue
                    for _ in range(int(rng.integers(1, 3))):   # sometimes a duplicate
                        near = jitter(box, float(rng.choice([0.005, 0.03, 0.08])))
                        if label == TIED:  # at most 12 detections: numpy sorts them by insertion sort
                            if tied_left[0] == 0:
                                continue
                            tied_left[0] -= 1
                            score = np.float32(rng.choice([0.5, 0.25]))
                        else:
                            score = np.float32(next(unique_scores) + rng.uniform(-4e-5, 4e-5))
                        det_rows.append((video, t, near, int(label), score))
                if rng.random() < 0.3:
                    det_rows.append((video, t, box, NEVER_ANNOTATED, np.float32(next(unique_scores))))
            for _ in range(int(rng.integers(0, 3))):           # false positives
                label = int(rng.choice([1, 5, 12, 17, 64]))
                det_rows.append((video, t, random_box(), label, np.float32(next(unique_scores))))
    tied = [r for r in det_rows if r[3] == TIED]
    assert 3 <= len(tied) <= 16 and len({float(r[4]) for r in tied}) < len(tied), len(tied)
    rng.shuffle(det_rows)
    return gt_rows, det_rows, excluded


def fmt(value):
    return repr(float(value))


def save(gt_rows, det_rows, excluded):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'label_map.pbtxt'), 'w') as f:
        for cid, name in CLASSES.items():
            f.write(f'item {{\n  name: "{name}"\n  id: {cid}\n}}\n')
    with open(os.path.join(OUT, 'gt.csv'), 'w') as f:
        for video, t, box, label, person in gt_rows:
            f.write(f'{video},{t:04d},' + ','.join(f'{c:.3f}' for c in box.tolist()) + f',{label},{person}\n')
    with open(os.path.join(OUT, 'exclude.csv'), 'w') as f:
        for video, t in excluded:
            f.write(f'{video},{t:04d}\n')
    with open(os.path.join(OUT, 'detections.csv'), 'w') as f:
        for video, t, box, label, score in det_rows:
            f.write(f'{video},{t:04d},' + ','.join(fmt(c) for c in box) + f',{label},{fmt(score)}\n')


def load_csv(text, whitelist):
    """boxes/labels/scores per 'video,tttt' key, each frame sorted by descending score (stable)."""
    entries = defaultdict(list)
    for row in csv.reader(io.StringIO(text)):
        key = f'{row[0]},{int(row[1]):04d}'
        label = int(row[6])
        if label not in whitelist:
            continue
        x1, y1, x2, y2 = (float(c) for c in row[2:6])
        entries[key].append((float(row[7]) if len(row) == 8 else 1.0, label, (y1, x1, y2, x2)))
    frames = {}
    for key, rows in entries.items():
        rows = sorted(rows, key=lambda r: -r[0])
        frames[key] = ([r[2] for r in rows], [r[1] for r in rows], [r[0] for r in rows])
    return frames


def pairwise_iou(a, b):
    """np_box_ops.iou on float32 [y1, x1, y2, x2] rows (its zeros are float64, so is the intersection)."""
    def side(lo, hi):
        return np.maximum(np.zeros((len(a), len(b))), np.minimum(a[:, hi:hi + 1], b[:, hi].T) - np.maximum(a[:, lo:lo + 1], b[:, lo].T))
    inter = side(0, 2) * side(1, 3)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def frame_tp_fp(gt, det):
    gt_boxes, gt_labels, _ = gt
    boxes, labels, scores = det
    out = {}
    for label in set(labels):
        g = np.array([b for b, l in zip(gt_boxes, gt_labels) if l == label], dtype=np.float32).reshape(-1, 4)
        d = np.array([b for b, l in zip(boxes, labels) if l == label], dtype=np.float32).reshape(-1, 4)
        s = np.array([x for x, l in zip(scores, labels) if l == label], dtype=np.float32)
        tp = np.zeros(len(d), dtype=bool)
        if len(g):
            iou = pairwise_iou(d, g)
            taken = np.zeros(len(g), dtype=bool)
            for i, best in enumerate(np.argmax(iou, axis=1)):
                if iou[i, best] >= 0.5 and not taken[best]:
                    tp[i] = taken[best] = True
        out[label] = (s, tp)
    return out


def voc_ap(scores, tp, num_gt):
    if num_gt == 0:
        return float('nan')
    order = np.argsort(scores)[::-1]
    hits = tp[order].astype(int)
    cum_tp, cum_fp = np.cumsum(hits), np.cumsum(1 - hits)
    precision = np.concatenate([[0], cum_tp / (cum_tp + cum_fp), [0]])
    recall = np.concatenate([[0], cum_tp / num_gt, [1]])
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    steps = np.where(recall[1:] != recall[:-1])[0] + 1
    return float(np.sum((recall[steps] - recall[steps - 1]) * precision[steps]))


def evaluate(gt_rows, det_rows, excluded):
    whitelist = set(CLASSES)
    gt_text = ''.join(f'{v},{t:04d},' + ','.join(f'{c:.3f}' for c in b.tolist()) + f',{l},{p}\n' for v, t, b, l, p in gt_rows)
    # results2csv: every float written with {:.4f}
    det_text = ''.join(f'{v},{t},' + ','.join(f'{c:.4f}' for c in b.tolist()) + f',{l},{float(s):.4f}\n' for v, t, b, l, s in det_rows)
    gt, det = load_csv(gt_text, whitelist), load_csv(det_text, whitelist)
    skip = {f'{v},{t:04d}' for v, t in excluded}
    gt_count = defaultdict(int)
    for _, labels, _ in gt.values():
        for label in labels:
            gt_count[label] += 1
    scores, tps = defaultdict(list), defaultdict(list)
    for key in gt:
        if key in skip:
            continue
        for label, (s, tp) in frame_tp_fp(gt[key], det.get(key, ([], [], []))).items():
            scores[label].append(s)
            tps[label].append(tp)
    aps = {k: voc_ap(np.concatenate(scores[k]), np.concatenate(tps[k]), gt_count[k]) for k in scores}
    with np.errstate(all='ignore'):
        import warnings
        warnings.simplefilter('ignore')
        means = [np.nanmean([ap for k, ap in aps.items() if keep(k)]) for keep in
                 (lambda k: True, lambda k: k <= 14, lambda k: 14 < k < 64, lambda k: k >= 64)]
    return aps, means


def main():
    gt_rows, det_rows, excluded = write_inputs()
    save(gt_rows, det_rows, excluded)
    aps, means = evaluate(gt_rows, det_rows, excluded)
    assert NEVER_DETECTED not in aps and np.isnan(aps[NEVER_ANNOTATED]) and TIED in aps
    with open(os.path.join(OUT, 'expected.txt'), 'w') as f:
        for k in sorted(aps):
            f.write(f'{k} {aps[k]!r}\n')
        for name, value in zip(['overall', 'person_movement', 'object_manipulation', 'person_interaction'], means):
            f.write(f'{name} {float(value)!r}\n')
    print(open(os.path.join(OUT, 'expected.txt')).read())


main()
