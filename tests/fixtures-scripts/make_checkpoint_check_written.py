#!/usr/bin/env python3
"""Developer check (not run by the test suite): loads a .pth written by Cluster's CheckpointFile.Save with real
PyTorch, prints the tree, and says whether torch.load(weights_only=True) accepts it too.

    /usr/bin/python3 tests/fixtures-scripts/make_checkpoint_check_written.py PATH [PATH ...]
"""
import sys
import zipfile

import torch


def describe(value, indent=""):
    if isinstance(value, dict):
        print(f"{type(value).__name__} ({len(value)} keys)")
        for key, item in value.items():
            print(f"{indent}  {key!r}: ", end="")
            describe(item, indent + "  ")
    elif isinstance(value, (list, tuple)):
        print(f"{type(value).__name__} {value!r}" if not any(isinstance(v, torch.Tensor) for v in value) else type(value))
    elif isinstance(value, torch.Tensor):
        print(f"tensor {value.dtype} {list(value.shape)} stride {value.stride()} {value.flatten()[:6].tolist()}")
    else:
        print(f"{type(value).__name__} {value!r}")


def check(path):
    with zipfile.ZipFile(path) as archive:
        print(path, [(info.filename, info.compress_type) for info in archive.infolist()])
    full = torch.load(path)
    describe(full)
    # torch 1.13's weights-only unpickler lacks some opcodes torch.save itself writes (BINFLOAT, for a float in meta).
    try:
        torch.load(path, weights_only=True)
        print("weights_only=True: loads")
    except Exception as error:  # noqa: BLE001 - report, do not fail: the full load above is the check
        print(f"weights_only=True: {error}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        check(argument)
