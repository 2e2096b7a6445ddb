package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import java.util.Set;

/**
 * A trained policy with its optimizer state, gradient buffers, update rule and (FULL with KL) its
 * frozen reference.
 *
 * @param name the checkpoint sub-directory and metrics prefix of this learner
 */
record PolicyLearner(
    String name,
    Policy policy,
    AdamW optimizer,
    Gradients gradients,
    GrpoUpdate update,
    DecoderModel reference) {

  /**
   * A learner of {@code p} on the tokens of {@code roles}; its state lives in {@code stateManager}.
   */
  static PolicyLearner create(
      String name,
      Policy p,
      Set<TokenRole> roles,
      GrpoConfig config,
      NDManager stateManager,
      long pad) {
    if (p.trainableParameters().isEmpty()) {
      throw new IllegalArgumentException(p.method() + " has nothing to train");
    }
    DecoderModel ref =
        p.method().trainsBackbone() && config.loss().klCoef() > 0
            ? ReferenceCopy.of(p.model(), stateManager)
            : null;
    AdamW opt = new AdamW(config.optimizer(), p.trainableParameters(), stateManager);
    Gradients grads = new Gradients(p.trainableParameters(), stateManager);
    int updates = config.totalSteps() * config.updatesPerStep();
    LrSchedule schedule = config.optim().schedule(updates);
    return new PolicyLearner(
        name, p, opt, grads, new GrpoUpdate(p, config, opt, grads, schedule, ref, pad, roles), ref);
  }

  TrainerCheckpoint.Learner checkpointView() {
    return new TrainerCheckpoint.Learner(name, policy, optimizer);
  }

  void closeReference() {
    if (reference != null) {
      reference.close();
    }
  }
}
