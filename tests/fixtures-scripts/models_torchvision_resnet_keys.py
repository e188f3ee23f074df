"""Writes the state_dict key lists of torchvision's resnet18 and resnet50 (without the fc classifier), which the
Cluster ResNet backbone must reproduce exactly. Run from the repository root with Debian's python3-torchvision: /usr/bin/python3 tests/fixtures-scripts/models_torchvision_resnet_keys.py"""
import torchvision

for depth, factory in ((18, torchvision.models.resnet18), (50, torchvision.models.resnet50)):
    keys = [k for k in factory().state_dict().keys() if not k.startswith("fc.")]
    with open(f"tests/Cluster.Tests/Fixtures/Models/torchvision_resnet{depth}_keys.txt", "w") as f:
        f.write("\n".join(keys) + "\n")
