"""Reference outputs of MMAction2's feature bank operators (mmaction/models/roi_heads/shared_heads/fbo_head.py) for
the Cluster FBO modules.

mmaction2 is not installed here, so NonLocalLayer, FBONonLocal, FBOAvg, FBOMax and FBOHead's forward are written out
below with plain torch, module for module and with MMAction2's parameter names (mmcv's ConvModule without norm and
activation is a Conv3d with bias named `conv`). Every parameter is randomised (LayerNorm too, so it matters) and the
modules run in eval mode (dropout off).

For each case it writes tests/Cluster.Tests/Fixtures/Lfb/fbo_{case}.bin (float32 little-endian tensors,
concatenated) and .txt (one "name d0,d1,..." line per tensor, same order): the state dict, then the inputs and
"output".
  nl_pre, nl_post   FBONonLocal (2 layers, pre_activate true / false): st_feat [N, C, 1, 1, 1], lt_feat
                    [N, C_lt, W*K, 1, 1] (some slots zero, as padding) -> output [N, latent, 1, 1, 1]
  avg, max          FBOAvg / FBOMax on the same kind of inputs -> [N, C_lt, 1, 1, 1]
  head_nl           FBOHead (non_local, pre_activate) state dict under "fbo.", RoI features x [N, C, T, H, W], a bank
                    "bank" [V, S, P, C_lt] (every second 0..S-1 of video v has P <= K persons), "roi_video" and
                    "roi_second" [N] (as floats), window W and K as "window" and "k" (1-element tensors) -> output
                    [N, C + latent, 1, 1, 1]. The operators do not depend on slot order, so the C# sampler's random
                    order of persons gives the same output.
Run: /usr/bin/python3 tests/fixtures-scripts/lfb_fbo_reference.py
"""
import torch
from torch import nn

OUT = "tests/Cluster.Tests/Fixtures/Lfb"


class ConvModule(nn.Module):
    """mmcv ConvModule(conv_cfg=Conv3d, norm_cfg=None, act_cfg=None): a 1x1x1 Conv3d with bias, named conv."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class NonLocalLayer(nn.Module):
    def __init__(self, st_c, lt_c, latent, num_st, num_lt, use_scale=True, pre_activate=True, dropout_ratio=0.2):
        super().__init__()
        self.latent_channels, self.num_st_feat, self.num_lt_feat = latent, num_st, num_lt
        self.use_scale, self.pre_activate, self.dropout_ratio = use_scale, pre_activate, dropout_ratio
        self.st_feat_conv = ConvModule(st_c, latent)
        self.lt_feat_conv = ConvModule(lt_c, latent)
        self.global_conv = ConvModule(lt_c, latent)
        self.ln = nn.LayerNorm([latent if pre_activate else st_c, num_st, 1, 1])
        self.relu = nn.ReLU()
        self.out_conv = ConvModule(latent, st_c)
        if dropout_ratio > 0:
            self.dropout = nn.Dropout(dropout_ratio)

    def forward(self, st_feat, lt_feat):
        n, c = st_feat.size(0), self.latent_channels
        theta = self.st_feat_conv(st_feat).view(n, c, self.num_st_feat)
        phi = self.lt_feat_conv(lt_feat).view(n, c, self.num_lt_feat)
        g = self.global_conv(lt_feat).view(n, c, self.num_lt_feat)
        theta_phi = torch.matmul(theta.permute(0, 2, 1), phi)
        if self.use_scale:
            theta_phi /= c ** 0.5
        p = theta_phi.softmax(dim=-1)
        out = torch.matmul(g, p.permute(0, 2, 1)).view(n, c, self.num_st_feat, 1, 1)
        if self.pre_activate:
            out = self.relu(self.ln(out))
        out = self.out_conv(out)
        if not self.pre_activate:
            out = self.ln(out)
        if self.dropout_ratio > 0:
            out = self.dropout(out)
        return out


class FBONonLocal(nn.Module):
    def __init__(self, st_c, lt_c, latent, num_st, num_lt, num_non_local_layers=2, st_feat_dropout_ratio=0.2,
                 lt_feat_dropout_ratio=0.2, pre_activate=True):
        super().__init__()
        self.pre_activate = pre_activate
        self.st_feat_conv = nn.Conv3d(st_c, latent, kernel_size=1)
        self.lt_feat_conv = nn.Conv3d(lt_c, latent, kernel_size=1)
        self.st_feat_dropout = nn.Dropout(st_feat_dropout_ratio)
        self.lt_feat_dropout = nn.Dropout(lt_feat_dropout_ratio)
        if not pre_activate:
            self.relu = nn.ReLU()
        self.non_local_layers = []
        for idx in range(num_non_local_layers):
            name = f"non_local_layer_{idx + 1}"
            self.add_module(name, NonLocalLayer(latent, latent, latent, num_st, num_lt, pre_activate=pre_activate))
            self.non_local_layers.append(name)

    def forward(self, st_feat, lt_feat):
        st_feat = self.st_feat_dropout(self.st_feat_conv(st_feat))
        lt_feat = self.lt_feat_dropout(self.lt_feat_conv(lt_feat))
        for name in self.non_local_layers:
            identity = st_feat
            nl_out = identity + getattr(self, name)(st_feat, lt_feat)
            if not self.pre_activate:
                nl_out = self.relu(nl_out)
            st_feat = nl_out
        return nl_out


class FBOAvg(nn.Module):
    def __init__(self):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool3d((1, None, None))

    def forward(self, st_feat, lt_feat):
        return self.avg_pool(lt_feat)


class FBOMax(nn.Module):
    def __init__(self):
        super().__init__()
        self.max_pool = nn.AdaptiveMaxPool3d((1, None, None))

    def forward(self, st_feat, lt_feat):
        return self.max_pool(lt_feat)


class FBOHead(nn.Module):
    """FBOHead.forward with sample_lfb replaced by the given long-term features (temporal avg, spatial max)."""

    def __init__(self, fbo):
        super().__init__()
        self.fbo = fbo
        self.temporal_pool = nn.AdaptiveAvgPool3d((1, None, None))
        self.spatial_pool = nn.AdaptiveMaxPool3d((None, 1, 1))

    def forward(self, x, lt_feat):
        st_feat = self.spatial_pool(self.temporal_pool(x))
        return torch.cat([st_feat, self.fbo(st_feat, lt_feat)], dim=1)


def randomise(module):
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if name.endswith("ln.weight"):
                t.copy_(1 + 0.2 * torch.randn_like(t))
            elif name.endswith("bias"):
                t.copy_(0.1 * torch.randn_like(t))
            else:
                t.copy_(torch.randn_like(t) / t[0].numel() ** 0.5)


def long_term(n, c, slots):
    lt = torch.randn(n, c, slots, 1, 1)
    lt[:, :, slots - 3:] = 0  # padding slots, as the sampler leaves them
    lt[0, :, 1] = 0
    return lt


def write(case, entries):
    stem = f"{OUT}/fbo_{case}"
    with open(stem + ".bin", "wb") as f:
        for _, t in entries:
            f.write(t.detach().contiguous().float().numpy().astype("<f4").tobytes())
    with open(stem + ".txt", "w") as f:
        for k, t in entries:
            f.write(f"{k} {','.join(str(d) for d in t.shape)}\n")


torch.manual_seed(0)
N, C, C_LT, LATENT, W, K = 3, 12, 10, 8, 4, 3

for case, pre in (("nl_pre", True), ("nl_post", False)):
    fbo = FBONonLocal(C, C_LT, LATENT, 1, W * K, num_non_local_layers=2, pre_activate=pre)
    randomise(fbo)
    fbo.eval()
    st, lt = torch.randn(N, C, 1, 1, 1), long_term(N, C_LT, W * K)
    with torch.no_grad():
        out = fbo(st, lt)
    write(case, list(fbo.state_dict().items()) + [("st_feat", st), ("lt_feat", lt), ("output", out)])

for case, fbo in (("avg", FBOAvg()), ("max", FBOMax())):
    fbo.eval()
    st, lt = torch.randn(N, C, 1, 1, 1), long_term(N, C_LT, W * K) - 0.5
    with torch.no_grad():
        out = fbo(st, lt)
    write(case, [("st_feat", st), ("lt_feat", lt), ("output", out)])

# FBOHead over a small bank: V videos, seconds 0..S-1, P persons each; RoIs near the start and end pad the window.
V, S, P, T, H = 2, 6, 2, 4, 5
head = FBOHead(FBONonLocal(C, C_LT, LATENT, 1, W * K, num_non_local_layers=2, pre_activate=True))
randomise(head)
head.eval()
bank = torch.randn(V, S, P, C_LT)
roi_video = torch.tensor([0, 1, 1, 0])
roi_second = torch.tensor([0, 3, 5, 2])
lt = torch.zeros(len(roi_video), W, K, C_LT)
for r, (v, t) in enumerate(zip(roi_video.tolist(), roi_second.tolist())):
    for w, sec in enumerate(range(t - W // 2, t - W // 2 + W)):
        if 0 <= sec < S:
            lt[r, w, :P] = bank[v, sec]
lt = lt.reshape(len(roi_video), W * K, C_LT).permute(0, 2, 1).unsqueeze(-1).unsqueeze(-1)
x = torch.randn(len(roi_video), C, T, H, H)
with torch.no_grad():
    out = head(x, lt)
write("head_nl", list(head.state_dict().items()) + [
    ("x", x), ("bank", bank), ("roi_video", roi_video.float()), ("roi_second", roi_second.float()),
    ("window", torch.tensor([float(W)])), ("k", torch.tensor([float(K)])), ("output", out)])
