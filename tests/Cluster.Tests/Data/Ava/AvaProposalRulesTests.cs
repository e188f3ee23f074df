using Cluster.Training.Data.Ava;

namespace Cluster.Tests.Data.Ava;

public class AvaProposalRulesTests
{
    private static readonly AvaKey Key = new("vid", 902);

    private static AvaProposal Proposal(float score, float x1 = 0.1f) => new(Key, new NormalizedBox(x1, 0.1f, x1 + 0.2f, 0.9f), score);

    [Fact]
    public void Proposals_at_or_above_the_threshold_are_kept_in_file_order()
    {
        var proposals = new[] { Proposal(0.95f), Proposal(0.5f), Proposal(0.9f), Proposal(0.89f) };
        Assert.Equal([0.95f, 0.9f], AvaProposalRules.Keep(proposals, 0.9, 1000).Select(p => p.Score));
    }

    [Fact]
    public void Threshold_falls_to_the_best_score_when_nothing_reaches_it()
    {
        // min(0.9, max score 0.7) = 0.7: only the best proposal(s) survive.
        var proposals = new[] { Proposal(0.3f), Proposal(0.7f), Proposal(0.69f), Proposal(0.7f, x1: 0.5f) };
        var kept = AvaProposalRules.Keep(proposals, 0.9, 1000);
        Assert.Equal([proposals[1], proposals[3]], kept);
        Assert.Empty(AvaProposalRules.Keep([], 0.9, 1000));
    }

    [Fact]
    public void At_most_num_max_proposals_are_kept()
    {
        var proposals = Enumerable.Range(0, 5).Select(i => Proposal(0.95f, x1: i * 0.1f)).ToArray();
        Assert.Equal(proposals[..3], AvaProposalRules.Keep(proposals, 0.9, 3));
    }

    [Fact]
    public void Rows_with_the_same_box_are_one_person_with_several_actions()
    {
        var a = new NormalizedBox(0.1f, 0.1f, 0.4f, 0.9f);
        var b = new NormalizedBox(0.5f, 0.1f, 0.8f, 0.9f);
        var persons = AvaProposalRules.Persons([
            new AvaAnnotation(Key, a, 12, 0), new AvaAnnotation(Key, b, 11, 1), new AvaAnnotation(Key, a, 79, 0),
            new AvaAnnotation(Key, a, 12, 0),
        ]);
        Assert.Equal(2, persons.Count);
        Assert.Equal([a, b], persons.Select(p => p.Box));
        Assert.Equal([[12, 79], [11]], persons.Select(p => p.Actions));
        Assert.Equal([0, 1], persons.Select(p => p.PersonId));
    }

    [Fact]
    public void Training_rois_are_gt_boxes_then_proposals_overlapping_a_gt_by_0_9()
    {
        var left = new AvaPerson(new NormalizedBox(0.0f, 0.0f, 0.4f, 1.0f), [3], 0);
        var right = new AvaPerson(new NormalizedBox(0.6f, 0.0f, 1.0f, 1.0f), [5, 7], 1);
        // IoU with 'right': 0.38/0.40 = 0.95 (kept, labelled 5,7); 0.34/0.40 = 0.85 (dropped); no overlap (dropped).
        var near = new AvaProposal(Key, new NormalizedBox(0.62f, 0.0f, 1.0f, 1.0f), 0.99f);
        var far = new AvaProposal(Key, new NormalizedBox(0.66f, 0.0f, 1.0f, 1.0f), 0.99f);
        var none = new AvaProposal(Key, new NormalizedBox(0.45f, 0.0f, 0.55f, 1.0f), 0.99f);
        // 0.37/0.40 = 0.925 with 'left'.
        var edge = new AvaProposal(Key, new NormalizedBox(0.0f, 0.0f, 0.37f, 1.0f), 0.99f);

        var rois = AvaProposalRules.TrainingRois([left, right], [near, far, none, edge]);

        Assert.Equal([left.Box, right.Box, near.Box, edge.Box], rois.Select(r => r.Box));
        Assert.Equal([[3], [5, 7], [5, 7], [3]], rois.Select(r => r.Actions));
    }

    [Fact]
    public void Test_rois_are_the_kept_proposals_without_labels()
    {
        var rois = AvaProposalRules.TestRois([Proposal(0.95f), Proposal(0.9f, x1: 0.5f)]);
        Assert.Equal(2, rois.Count);
        Assert.All(rois, roi => Assert.Empty(roi.Actions));
        Assert.Equal(0.5f, rois[1].Box.X1);
    }
}
