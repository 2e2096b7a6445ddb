package io.github.dartrl.leas.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.Scalars;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.List;
import java.util.Set;

/**
 * The role-restricted policy gradients of one trajectory, for {@link GradientAngleProbe}: per role
 * its own forward and backward of {@code −A · (1/|T_b|) Σ_{t∈T_b} log π_θ(c_t | c_<t)} into freshly
 * zeroed buffers, copied out as a {@link FlatGradient}. Owns the gradient buffers.
 */
final class TrajectoryGradients implements AutoCloseable {
  private final Policy policy;
  private final ParameterGroups layout;
  private final Gradients gradients;
  private final long padId;
  private final float temperature;

  TrajectoryGradients(Policy policy, ParameterGroups layout, long padId, double temperature) {
    this.policy = policy;
    this.layout = layout;
    this.gradients = new Gradients(policy.trainableParameters(), policy.model().manager());
    this.padId = padId;
    // log π at the sampling temperature, as the rollout drew the tokens
    this.temperature = (float) Math.max(temperature, 1e-6);
  }

  /** The REASONING and TOOL (every tool's tokens) gradients: two forwards and two backwards. */
  RoleGradients roles(Trajectory t, float advantage) {
    SequenceBatch batch = batch(t);
    FlatGradient[] g = new FlatGradient[2];
    int[] n = new int[2];
    double[] loss = {Double.NaN, Double.NaN};
    TokenRole[] roles = {TokenRole.REASONING, TokenRole.TOOL};
    for (int k = 0; k < 2; k++) {
      float[] mask = batch.lossMask(Set.of(roles[k]));
      n[k] = count(mask);
      if (n[k] > 0) {
        loss[k] = backward(batch, mask, -advantage / n[k]);
        g[k] = FlatGradient.copyOf(gradients, layout);
      }
    }
    gradients.zero();
    return new RoleGradients(g[0], g[1], n[0], n[1], loss[0], loss[1]);
  }

  /** The gradient over the tokens of tool span {@code k} only, or null if it has none. */
  FlatGradient tool(Trajectory t, float advantage, int k) {
    SequenceBatch batch = batch(t);
    float[] mask = batch.lossMaskOfCode(TokenRole.toolCode(k));
    int n = count(mask);
    if (n == 0) {
      return null;
    }
    backward(batch, mask, -advantage / n);
    FlatGradient g = FlatGradient.copyOf(gradients, layout);
    gradients.zero();
    return g;
  }

  private SequenceBatch batch(Trajectory t) {
    return new SequenceBatch(List.of(t.tokens()), List.of(t.roles()), padId);
  }

  /** One forward and backward of {@code scale · Σ mask · log π}, into freshly zeroed buffers. */
  private double backward(SequenceBatch batch, float[] mask, float scale) {
    gradients.zero();
    try (NDManager scope = policy.model().newScope()) {
      return gradients.backward(
          () -> {
            NDArray lp = policy.logProbs(scope, batch, temperature); // [1, L]
            NDArray m = scope.create(mask, new Shape(1, batch.length()));
            return Scalars.mul(lp.mul(m).sum(), scale);
          });
    }
  }

  private static int count(float[] mask) {
    int n = 0;
    for (float m : mask) {
      n += (int) m;
    }
    return n;
  }

  @Override
  public void close() {
    gradients.close();
  }
}
