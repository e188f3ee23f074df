"""Writes Fixtures/Data/randperm.json: MMEngine DefaultSampler epoch orders (torch.randperm with a generator seeded
by seed + epoch), for checking that our sampler shuffles exactly like PyTorch.
Run with Debian's python3-torch: /usr/bin/python3 tests/fixtures-scripts/data_randperm.py"""
import json
import os

import torch

cases = []
for n, seed in [(10, 42), (10, 43), (100, 5), (7, 0)]:
    g = torch.Generator()
    g.manual_seed(seed)
    cases.append({"n": n, "seed": seed, "permutation": torch.randperm(n, generator=g).tolist()})

out = os.path.join(os.path.dirname(__file__), "..", "Cluster.Tests", "Fixtures", "Data", "randperm.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
