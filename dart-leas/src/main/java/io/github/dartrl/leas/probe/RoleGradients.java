package io.github.dartrl.leas.probe;

/**
 * The two role-restricted policy-gradient gradients of one trajectory.
 *
 * @param reasoning gradient of {@code −A · mean over REASONING tokens of log π}, or null if the
 *     trajectory has no reasoning token
 * @param tool likewise over TOOL tokens, or null
 * @param reasoningTokens REASONING tokens (the mean's denominator)
 * @param toolTokens TOOL tokens
 * @param reasoningLoss the reasoning loss value (NaN if absent)
 * @param toolLoss the tool loss value (NaN if absent)
 */
public record RoleGradients(
    FlatGradient reasoning,
    FlatGradient tool,
    int reasoningTokens,
    int toolTokens,
    double reasoningLoss,
    double toolLoss) {}
