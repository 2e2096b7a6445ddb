package io.github.dartrl.leas.probe;

/**
 * One measured angle.
 *
 * @param query index of the query in the probe's input
 * @param kind which gradients
 * @param first trajectory index within the query's group
 * @param second the other trajectory (equal to {@code first} for {@link PairKind#INTER_ROLE})
 * @param cosine cosine of the flattened gradients
 * @param degrees arccos(cosine) in degrees
 * @param layerDegrees angle per parameter group ({@link ParameterGroups#names()} order); NaN where
 *     a group's gradient is zero
 */
public record AnglePair(
    int query,
    PairKind kind,
    int first,
    int second,
    double cosine,
    double degrees,
    double[] layerDegrees) {}
