namespace Cluster.Training.Data.Ava;

/// <summary>MMAction2's AVADataset rules for person proposals and RoIs (mmaction/datasets/ava_dataset.py and the
/// FastRCNN train_cfg of its AVA configs).</summary>
public static class AvaProposalRules
{
    /// <summary>IoU a proposal needs with a ground-truth box to be trained as that person (MaxIoUAssignerAVA's
    /// pos_iou_thr = min_pos_iou = 0.9).</summary>
    public const float PositiveIou = 0.9f;

    /// <summary>
    /// Keeps proposals scoring at least min(<paramref name="threshold"/>, best score), so a keyframe always keeps its
    /// best proposal, then the first <paramref name="maxProposals"/> in file order. The comparison is in float32, as
    /// numpy compares MMAction2's float32 scores with the Python threshold (a score 0.9 passes a threshold 0.9).
    /// </summary>
    public static List<AvaProposal> Keep(IReadOnlyList<AvaProposal> proposals, double threshold, int maxProposals)
    {
        if (proposals.Count == 0)
            return [];
        float effective = Math.Min((float)threshold, proposals.Max(p => p.Score));
        return proposals.Where(p => p.Score >= effective).Take(maxProposals).ToList();
    }

    /// <summary>
    /// Training RoIs: every ground-truth box (add_gt_as_proposals) with its actions, then each proposal whose best IoU
    /// with a ground-truth box is at least <see cref="PositiveIou"/>, labelled as that box (the first on ties).
    /// Proposals below it would be negatives, which BBoxHeadAVA's loss drops, so they are not fed at all; nor is
    /// MMAction2's random subsampling to 32 RoIs applied.
    /// </summary>
    public static List<AvaRoi> TrainingRois(IReadOnlyList<AvaPerson> persons, IReadOnlyList<AvaProposal> proposals)
    {
        var rois = persons.Select(person => new AvaRoi(person.Box, person.Actions)).ToList();
        if (persons.Count == 0)
            return rois;
        foreach (var proposal in proposals)
        {
            AvaPerson? best = null;
            float bestIou = -1f;
            foreach (var person in persons)
            {
                float iou = proposal.Box.Iou(person.Box);
                if (iou > bestIou)
                    (best, bestIou) = (person, iou);
            }
            if (bestIou >= PositiveIou)
                rois.Add(new AvaRoi(proposal.Box, best!.Actions));
        }
        return rois;
    }

    /// <summary>Test RoIs: the kept proposals, unlabelled.</summary>
    public static List<AvaRoi> TestRois(IReadOnlyList<AvaProposal> proposals) =>
        proposals.Select(proposal => new AvaRoi(proposal.Box, [])).ToList();

    /// <summary>
    /// Groups a keyframe's rows into persons: rows with exactly the same box are one person (multi-hot), in order of
    /// first appearance, actions sorted and de-duplicated.
    /// </summary>
    public static List<AvaPerson> Persons(IEnumerable<AvaAnnotation> rows)
    {
        var persons = new List<(NormalizedBox Box, SortedSet<int> Actions, int PersonId)>();
        foreach (var row in rows)
        {
            int index = persons.FindIndex(person => person.Box == row.Box);
            if (index < 0)
                persons.Add((row.Box, [row.ActionId], row.PersonId));
            else
                persons[index].Actions.Add(row.ActionId);
        }
        return persons.Select(person => new AvaPerson(person.Box, [.. person.Actions], person.PersonId)).ToList();
    }
}
