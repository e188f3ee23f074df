"""Reference RoIAlign outputs and gradients from torchvision.ops.roi_align (MMCV's RoIAlign semantics) for the Cluster
RoIAlign (src/Training/Models/Detectors/RoiAlign.cs).

Writes tests/Cluster.Tests/Fixtures/Detection/roi_align.bin (float32 little-endian tensors, concatenated) and .txt
(one "name d0,d1,..." line per tensor, same order): "features" [2, 3, 10, 12], "rois" [7, 5] (batch row, x1, y1,
x2, y2 in input pixels, spatial_scale 1/4: boxes inside, across the border, tiny, large, degenerate), "spatial_scale",
then for every case "output.{h}x{w}.ratio{r}.aligned{a}" and, for the gradient cases, "grad.{...}": d(sum(output ·
"grad_weight.{...}"))/d(features). Run: /usr/bin/python3 tests/fixtures-scripts/detection_roi_align.py
"""
import torch
from torchvision.ops import roi_align

torch.manual_seed(0)
SCALE = 0.25
features = torch.randn(2, 3, 10, 12, dtype=torch.float64)
rois = torch.tensor([
    [0, 4.0, 6.0, 30.0, 22.0],     # inside
    [1, 0.0, 0.0, 47.0, 39.0],     # the whole map
    [1, -9.0, 20.0, 18.5, 50.0],   # across the left and bottom borders
    [0, 40.2, 3.3, 41.1, 5.9],     # smaller than a feature pixel
    [1, 13.7, 9.1, 36.4, 33.8],    # fractional corners
    [0, 20.0, 20.0, 20.0, 20.0],   # degenerate (a point)
    [0, 44.0, 30.0, 60.0, 44.0],   # mostly beyond the right border
], dtype=torch.float64)
entries = [("features", features), ("rois", rois), ("spatial_scale", torch.tensor([SCALE], dtype=torch.float64))]

cases = [(4, 4, 0, True), (4, 4, 1, True), (4, 4, 2, True), (3, 5, 0, True), (3, 5, 3, True),
         (4, 4, 0, False), (2, 3, 2, False)]
gradient_cases = {(4, 4, 0, True), (3, 5, 3, True), (2, 3, 2, False)}
for h, w, ratio, aligned in cases:
    name = f"{h}x{w}.ratio{ratio}.aligned{int(aligned)}"
    x = features.clone().requires_grad_(True)
    out = roi_align(x, rois, (h, w), spatial_scale=SCALE, sampling_ratio=ratio, aligned=aligned)
    entries.append((f"output.{name}", out.detach()))
    if (h, w, ratio, aligned) in gradient_cases:
        weight = torch.randn_like(out)
        (out * weight).sum().backward()
        entries += [(f"grad_weight.{name}", weight), (f"grad.{name}", x.grad)]

stem = "tests/Cluster.Tests/Fixtures/Detection/roi_align"
with open(stem + ".bin", "wb") as f:
    for _, t in entries:
        f.write(t.detach().contiguous().numpy().astype("<f4").tobytes())
with open(stem + ".txt", "w") as f:
    for k, t in entries:
        f.write(f"{k} {','.join(str(d) for d in t.shape)}\n")
