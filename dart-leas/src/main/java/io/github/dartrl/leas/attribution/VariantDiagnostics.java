package io.github.dartrl.leas.attribution;

/**
 * How one variant behaved over all its samples, to check that a hybrid or a role-masked model still
 * follows the protocol (a variant that never searches or always truncates makes its λ terms hard to
 * read).
 *
 * @param samples trajectories sampled
 * @param exactMatch fraction with an exact-match answer
 * @param answered fraction that ended with an answer
 * @param searchesPerSample mean executed searches
 * @param truncated fraction cut by a token budget
 * @param toolTokenShare TOOL tokens among sampled tokens
 * @param meanResponseTokens mean tokens after the prompt (observations included)
 */
public record VariantDiagnostics(
    int samples,
    double exactMatch,
    double answered,
    double searchesPerSample,
    double truncated,
    double toolTokenShare,
    double meanResponseTokens) {}
