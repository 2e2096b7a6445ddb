package io.github.dartrl.leas.probe;

/**
 * What the probe saw and what it skipped.
 *
 * @param queries queries rolled out
 * @param mixedGroups queries whose G rewards were not all equal (analysed)
 * @param uniformGroups queries whose rewards were all equal (no GRPO signal: skipped)
 * @param trajectories trajectories of the mixed groups
 * @param missingReasoning trajectories with no REASONING token (skipped for reasoning pairs)
 * @param missingTool trajectories with no TOOL token, i.e. that never searched (skipped for tool
 *     pairs and the inter-role angle)
 * @param zeroGradient role gradients that were zero or not finite (skipped), e.g. advantage 0
 */
public record ProbeCounts(
    int queries,
    int mixedGroups,
    int uniformGroups,
    int trajectories,
    int missingReasoning,
    int missingTool,
    int zeroGradient) {}
