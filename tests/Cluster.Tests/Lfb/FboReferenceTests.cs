using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Lfb;
using Cluster.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Lfb;

/// <summary>
/// Same weights, same inputs: the FBO operators and FBOHead must reproduce MMAction2's (eval mode) within 1e-5.
/// Fixtures written by tests/fixtures-scripts/lfb_fbo_reference.py with Debian's torch 1.13.
/// </summary>
public class FboReferenceTests
{
    private const int C = 12, CLt = 10, Latent = 8, W = 4, K = 3;
    private static readonly string[] Inputs = ["st_feat", "lt_feat", "output", "x", "bank", "roi_video", "roi_second", "window", "k"];

    [Theory]
    [InlineData("nl_pre", true)]
    [InlineData("nl_post", false)]
    public void NonLocalMatchesMMAction2(string fixture, bool preActivate)
    {
        var tensors = TensorFixtures.Read($"Fixtures/Lfb/fbo_{fixture}");
        using var fbo = new FBONonLocal(C, CLt, Latent, 1, W * K, numNonLocalLayers: 2, preActivate: preActivate);
        LoadExactly(fbo, tensors);
        fbo.eval();
        using var output = fbo.forward(tensors["st_feat"], tensors["lt_feat"]);
        AssertClose(tensors["output"], output);
    }

    [Theory]
    [InlineData("avg")]
    [InlineData("max")]
    public void PoolingOperatorsMatchMMAction2(string fixture)
    {
        var tensors = TensorFixtures.Read($"Fixtures/Lfb/fbo_{fixture}");
        using FeatureBankOperator fbo = fixture == "avg" ? new FBOAvg(CLt) : new FBOMax(CLt);
        Assert.Empty(fbo.state_dict());
        using var output = fbo.forward(tensors["st_feat"], tensors["lt_feat"]);
        AssertClose(tensors["output"], output);
        Assert.Equal(CLt, fbo.OutChannels);
    }

    [Fact]
    public void HeadOverABankMatchesMMAction2()
    {
        var tensors = TensorFixtures.Read("Fixtures/Lfb/fbo_head_nl");
        Assert.Equal(W, tensors["window"].item<float>());
        Assert.Equal(K, tensors["k"].item<float>());
        var bankValues = tensors["bank"]; // [V, S, P, C_lt]
        var bank = new FeatureBank(CLt);
        for (int v = 0; v < bankValues.shape[0]; v++)
            for (int s = 0; s < bankValues.shape[1]; s++)
                bank.Add($"video{v}", s, bankValues[v, s].contiguous().data<float>().ToArray());
        var videos = tensors["roi_video"].data<float>().ToArray();
        var seconds = tensors["roi_second"].data<float>().ToArray();
        var rois = videos.Select((v, i) => new RoiInfo(new AvaKey($"video{(int)v}", (int)seconds[i]), new NormalizedBox(0, 0, 1, 1), i)).ToList();

        var config = new FBOHeadConfig
        {
            LfbCfg = new LfbConfig { LfbPrefixPath = "unused", WindowSize = W, MaxNumSampledFeat = K, LfbChannels = CLt },
            FboCfg = new FBONonLocalConfig { LatentChannels = Latent, NumLtFeat = W * K },
        };
        using var head = config.Build("roi_head.shared_head", C, () => bank);
        Assert.Equal(C + Latent, head.OutChannels);
        LoadExactly(head, tensors);
        head.eval();
        using var output = head.forward(tensors["x"], rois);
        AssertClose(tensors["output"], output);
    }

    /// <summary>Copies the fixture's state dict, which must name exactly our parameters (MMAction2's names).</summary>
    private static void LoadExactly(nn.Module module, Dictionary<string, Tensor> tensors)
    {
        var state = module.state_dict();
        var expected = tensors.Keys.Where(k => !Inputs.Contains(k)).Order().ToList();
        Assert.Equal(expected, state.Keys.Order().ToList());
        using (no_grad())
            foreach (var name in expected)
                state[name].copy_(tensors[name]);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5),
            $"max abs difference {(actual - expected).abs().max().item<float>()}");
    }
}
