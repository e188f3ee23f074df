#!/usr/bin/env python3
"""Writes the checkpoint fixtures under tests/Cluster.Tests/Fixtures/Checkpoints with real PyTorch (Debian's
python3-torch 1.13 / python3-torchvision 0.14). Run from the repository root:

    /usr/bin/python3 tests/fixtures-scripts/make_checkpoint_fixtures.py
"""
import collections
import json
import os
import sys
import types

import numpy as np

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

OUT = os.path.join("tests", "Cluster.Tests", "Fixtures", "Checkpoints")


class NarrowResNet(ResNet):
    """torchvision's ResNet with stage widths base*(1, 2, 4, 8) instead of the hard-coded 64*(1, 2, 4, 8).

    Same attribute names (conv1, bn1, relu, maxpool, layer1..4, avgpool, fc), torchvision's own blocks,
    _make_layer and forward, so parameter names and semantics are torchvision's.
    """

    def __init__(self, block, layers, base=8, num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = base
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, base, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, base, layers[0])
        self.layer2 = self._make_layer(block, base * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, base * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(block, base * 8, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(base * 8 * block.expansion, num_classes)

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


def randomise_batch_norms(model):
    # Non-trivial affine parameters and running statistics, so a loader that swaps or skips them is caught.
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            nn.init.uniform_(module.weight, 0.5, 1.5)
            nn.init.uniform_(module.bias, -0.2, 0.2)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, 64, 64) * 1.5 + 0.3)
    model.eval()


def save(obj, name, **options):
    path = os.path.join(OUT, name)
    torch.save(obj, path, **options)
    print(f"{path}: {os.path.getsize(path)} bytes")


def write_narrow_resnets():
    for depth, block, layers, seed in (
        (18, BasicBlock, [2, 2, 2, 2], 18),
        (50, Bottleneck, [3, 4, 6, 3], 50),
    ):
        torch.manual_seed(seed)
        model = NarrowResNet(block, layers)
        randomise_batch_norms(model)
        save(model.state_dict(), f"resnet{depth}_narrow.pth")
        x = torch.randn(2, 3, 64, 64)
        with torch.no_grad():
            save({"input": x, "features": model.features(x), "logits": model(x)}, f"resnet{depth}_narrow_io.pth")


def write_dtypes():
    torch.manual_seed(7)
    matrix = torch.randn(3, 4)
    shared = torch.arange(10, dtype=torch.float32) * 0.5 - 1.0
    tensors = collections.OrderedDict(
        float32=torch.randn(2, 3),
        float16=(torch.randn(5) * 3).half(),
        bfloat16=(torch.randn(2, 2) * 7).bfloat16(),
        int64=torch.tensor([0, -1, 2**40 + 3, -(2**62), 7]),
        int32=torch.tensor([[1, -2], [2**31 - 1, -(2**31)]], dtype=torch.int32),
        uint8=torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        bool=torch.tensor([True, False, False, True]),
        float64=torch.tensor([1e-300, -2.5, 3.141592653589793], dtype=torch.float64),
        scalar=torch.tensor(2.75),
        transposed=matrix.t(),
        narrowed=matrix[1:, 1:3],
        shared_head=shared[:4],
        shared_tail=shared[4:].view(2, 3),
    )
    tensors["parameter"] = nn.Parameter(torch.tensor([1.5, -2.0]))  # pickled through torch._utils._rebuild_parameter
    assert not tensors["transposed"].is_contiguous()
    assert tensors["shared_head"].storage().data_ptr() == tensors["shared_tail"].storage().data_ptr()
    save(tensors, "dtypes.pth")
    expected = {
        key: {
            "dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape),
            "values": t.detach().double().flatten().tolist() if t.dtype != torch.int64 else t.flatten().tolist(),
        }
        for key, t in tensors.items()
    }
    with open(os.path.join(OUT, "dtypes_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


class ConvModule(nn.Module):
    """MMCV's ConvModule naming: conv + bn children."""

    def __init__(self, cin, cout, kernel, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)


class MMBasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ConvModule(cin, cout, 3, stride)
        self.conv2 = ConvModule(cout, cout, 3)
        self.downsample = ConvModule(cin, cout, 1, stride)


class MMBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = ConvModule(3, 4, 3, 2)
        self.layer1 = nn.Sequential(MMBasicBlock(4, 6, 2))


class MMHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc_cls = nn.Linear(6, 3)


class MMRecognizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = MMBackbone()
        self.cls_head = MMHead()


def write_mmaction_style():
    torch.manual_seed(3)
    model = MMRecognizer()
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point():
                tensor.copy_(torch.randn_like(tensor))
    meta = {
        "epoch": 5,
        "iter": 100,
        "seed": 42,
        "mmengine_version": "0.10.4",
        "time": "20260101_120000",
        "dataset_meta": {"classes": ["a", "b", "c"]},
    }
    save({"meta": meta, "state_dict": model.state_dict()}, "mmaction_style.pth")


def write_optimizer_checkpoint():
    torch.manual_seed(11)
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for _ in range(2):
        optimizer.zero_grad()
        model(torch.randn(4, 3)).square().mean().backward()
        optimizer.step()
    state = optimizer.state_dict()
    save({"meta": {"epoch": 1, "iter": 2}, "state_dict": model.state_dict(), "optimizer": state}, "optimizer_sgd.pth")
    expected = {
        str(index): {"shape": list(s["momentum_buffer"].shape), "sum": s["momentum_buffer"].double().sum().item()}
        for index, s in state["state"].items()
    }
    with open(os.path.join(OUT, "optimizer_sgd_expected.json"), "w") as f:
        json.dump({"momentum_buffers": expected, "param_groups": state["param_groups"]}, f, indent=1)


def write_python_values():
    # Protocol 2 (torch's default) spells sets and empty bytes as __builtin__ calls and bytes as _codecs.encode;
    # protocol 4 uses FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE, SHORT_BINBYTES and EMPTY_SET/ADDITEMS.
    tree = {
        "name": "\u00fcn\u00efcode",
        "bytes": b"\x00\xffab",
        "empty_bytes": b"",
        "set": {7},
        "frozenset": frozenset([8]),
        "tuple": (1, 2.5, None, True),
        "negative": -(2**60),
        "int16": torch.tensor([-3, 300], dtype=torch.int16),
        "int8": torch.tensor([-128, 127], dtype=torch.int8),
    }
    for protocol in (2, 4):
        save(tree, f"python_values_protocol{protocol}.pth", pickle_protocol=protocol)


class HistoryBuffer:
    """Stands in for mmengine.logging.HistoryBuffer (pickled under that name): an object whose state holds numpy arrays."""

    def __init__(self, values):
        self._log_history = np.array(values)
        self._count_history = np.ones(len(values), dtype=np.int64)
        self.max_length = 1000000


def register_as(cls, module_name):
    # pickle stores classes by importable name; make the stand-in importable under MMEngine's module path.
    parts = module_name.split(".")
    for i in range(1, len(parts) + 1):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    setattr(sys.modules[module_name], cls.__name__, cls)
    cls.__module__ = module_name


def write_mmengine_resume_like():
    register_as(HistoryBuffer, "mmengine.logging.history_buffer")
    torch.manual_seed(5)
    model = nn.Linear(2, 2)
    checkpoint = {
        "meta": {"epoch": 2, "iter": 20, "best_score": np.float64(0.75)},
        "state_dict": model.state_dict(),
        "message_hub": {
            "log_scalars": {"train/loss": HistoryBuffer([0.5, 0.25])},
            "runtime_info": {"epoch": 2, "iter": 20},
        },
    }
    save(checkpoint, "mmengine_resume_like.pth")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_narrow_resnets()
    write_dtypes()
    write_mmaction_style()
    write_optimizer_checkpoint()
    write_mmengine_resume_like()
    write_python_values()
