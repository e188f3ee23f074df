"""Reference outputs of narrow torchvision ResNets (widths base·(1, 2, 4, 8)) for the Cluster ResNet backbone.

For depth 18 and 50 with base 4 it writes tests/Cluster.Tests/Fixtures/Models/narrow_resnet{depth}.bin (float32
little-endian tensors, concatenated) and .txt (one "name d0,d1,..." line per tensor, same order): every float entry
of the state dict (BN statistics randomised so eval mode matters), then "input" and the eval-mode features
"output" (the network up to layer4, without avgpool/fc). Run: /usr/bin/python3 tests/fixtures-scripts/models_narrow_resnet_outputs.py
"""
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

BASE = 4


class NarrowResNet(ResNet):
    def __init__(self, block, layers, base):
        super().__init__(block, layers)
        self.inplanes = base
        self.conv1 = nn.Conv2d(3, base, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.layer1 = self._make_layer(block, base, layers[0])
        self.layer2 = self._make_layer(block, base * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, base * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(block, base * 8, layers[3], stride=2)
        del self.fc

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


torch.manual_seed(0)
for depth, block, layers in ((18, BasicBlock, [2, 2, 2, 2]), (50, Bottleneck, [3, 4, 6, 3])):
    model = NarrowResNet(block, layers, BASE)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("running_mean") or name.endswith("bias"):
                t.copy_(torch.randn_like(t) * 0.1)
            elif name.endswith("running_var") or (name.endswith("weight") and t.dim() == 1):
                t.copy_(torch.rand_like(t) + 0.5)
    model.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        y = model.features(x)
    entries = [(k, v) for k, v in model.state_dict().items() if v.is_floating_point()]
    entries += [("input", x), ("output", y)]
    stem = f"tests/Cluster.Tests/Fixtures/Models/narrow_resnet{depth}"
    with open(stem + ".bin", "wb") as f:
        for _, t in entries:
            f.write(t.contiguous().numpy().astype("<f4").tobytes())
    with open(stem + ".txt", "w") as f:
        for k, t in entries:
            f.write(f"{k} {','.join(str(d) for d in t.shape)}\n")
