package io.github.dartrl.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.OwnedArrays;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.RoutedSchedule;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.Detokenizer;
import java.util.Map;

/**
 * A trainable policy: a backbone, the adapters of a {@link Method}, the router and the role →
 * adapter map. Generation ({@link #schedule}) and training ({@link #logProbs}) take their gating
 * from the same role map, so log-probs recorded while sampling equal those a training forward
 * recomputes.
 *
 * <p>With adapters the backbone is frozen (no backbone array requires a gradient; {@link
 * #checkFrozenBackbone()} verifies it), and the KL reference is the same model with adapters off
 * ({@link #reference()}).
 */
public final class Policy implements AutoCloseable {
  private final DecoderModel model;
  private final PolicyConfig config;
  private final LoraAdapters adapters; // null without adapters
  private final TokenRouter router;
  private final RoleAdapterMap roleMap;
  private final boolean ownsAdapters;

  private Policy(
      DecoderModel model,
      PolicyConfig config,
      LoraAdapters adapters,
      TokenRouter router,
      RoleAdapterMap roleMap,
      boolean ownsAdapters) {
    this.model = model;
    this.config = config;
    this.adapters = adapters;
    this.router = router;
    this.roleMap = roleMap;
    this.ownsAdapters = ownsAdapters;
  }

  /**
   * Attaches fresh adapters for {@code config.method()} to {@code model} (B = 0: equals the
   * backbone).
   */
  public static Policy create(DecoderModel model, PolicyConfig config, Detokenizer detok) {
    LoraAdapters adapters =
        config.adapterCount() == 0
            ? null
            : LoraAdapters.attach(model, config.adapterConfigs(), config.seed());
    model.setBackboneTrainable(config.method().trainsBackbone());
    return new Policy(
        model, config, adapters, new TokenRouter(config.spans(), detok), config.roleMap(), true);
  }

  /**
   * A policy over adapters already attached to {@code model} (e.g. loaded from disk); the policy
   * owns and will close them.
   */
  public static Policy wrap(
      DecoderModel model, PolicyConfig config, LoraAdapters adapters, Detokenizer detok) {
    if (adapters.configs().size() != config.adapterCount()) {
      throw new IllegalArgumentException(
          config.method()
              + " with "
              + config.spans().size()
              + " tool span(s) needs "
              + config.adapterCount()
              + " adapters, got "
              + adapters.configs().size());
    }
    model.setBackboneTrainable(false);
    return new Policy(
        model, config, adapters, new TokenRouter(config.spans(), detok), config.roleMap(), true);
  }

  /**
   * A view of the same model and adapters evaluated under another method with the same adapters
   * (e.g. {@link Method#DART_TOOL_ONLY} for a DART policy). Closing the view frees nothing.
   */
  public Policy evaluatedAs(Method method) {
    PolicyConfig as = config.withMethod(method);
    if (as.adapterCount() != config.adapterCount()) {
      throw new IllegalArgumentException(
          "cannot evaluate a "
              + config.method()
              + " policy as "
              + method
              + ": adapter counts differ");
    }
    return new Policy(model, as, adapters, router, as.roleMap(), false);
  }

  /**
   * A view with only adapter {@code k} active: the positions it serves under this policy's map use
   * it, every other position runs the bare backbone (the single-capability evaluation of any one
   * adapter, e.g. the SQL adapter of a three-adapter DART). Closing the view frees nothing.
   */
  public Policy onlyAdapter(int k) {
    int n = adapters == null ? 0 : adapters.configs().size();
    if (k < 0 || k >= n) {
      throw new IllegalArgumentException(
          "adapter index " + k + " out of range: the policy has " + n + " adapters");
    }
    return new Policy(model, config, adapters, router, roleMap.onlyAdapter(k), false);
  }

  public DecoderModel model() {
    return model;
  }

  public PolicyConfig config() {
    return config;
  }

  public Method method() {
    return config.method();
  }

  /** The adapters, or null for FULL/NONE. */
  public LoraAdapters adapters() {
    return adapters;
  }

  public TokenRouter router() {
    return router;
  }

  public RoleAdapterMap roleMap() {
    return roleMap;
  }

  /** A fresh decoding schedule (router state per row) for {@code rows} rows. */
  public AdapterSchedule schedule(int rows) {
    return new RoutedSchedule(router, roleMap, rows);
  }

  /**
   * Log-probs of each next token {@code [B, L]} (column j predicts token j+1; the last column and
   * padding are meaningless) under {@code softmax(logits / temperature)}, with this policy's
   * gating. Differentiable when called inside a gradient collector.
   */
  public NDArray logProbs(NDManager scope, SequenceBatch batch, float temperature) {
    NDArray hidden = model.hidden(scope, batch.tokens(), null, batch.adapterAt(roleMap));
    NDArray targets =
        OwnedArrays.of(scope, batch.targets(), new Shape(batch.batch(), batch.length()));
    return model.logProbs(hidden, targets, temperature);
  }

  /**
   * Like {@link #logProbs}, also returning each position's entropy {@code [B, L]} (differentiable
   * only if {@code entropyGrad}).
   */
  public ai.djl.ndarray.NDList logProbsAndEntropy(
      NDManager scope, SequenceBatch batch, float temperature, boolean entropyGrad) {
    NDArray hidden = model.hidden(scope, batch.tokens(), null, batch.adapterAt(roleMap));
    NDArray targets =
        OwnedArrays.of(scope, batch.targets(), new Shape(batch.batch(), batch.length()));
    return model.logProbsAndEntropy(hidden, targets, temperature, entropyGrad);
  }

  /**
   * The arrays an optimizer updates: adapter A/B for LoRA methods, every backbone tensor for FULL.
   */
  public Map<String, NDArray> trainableParameters() {
    if (config.method().trainsBackbone()) {
      return model.parameters();
    }
    return adapters == null ? Map.of() : adapters.trainableParameters();
  }

  /**
   * Switches to the KL reference (the backbone with adapters off) until closed. FULL has no
   * adapter-free reference: it needs a separate frozen copy of the backbone.
   */
  public AutoCloseable reference() {
    if (adapters == null) {
      throw new UnsupportedOperationException(
          config.method()
              + " has no adapters to disable; use a frozen copy of the backbone as reference");
    }
    return adapters.disabled();
  }

  /** Throws if, under a LoRA method, any backbone array requires or holds a gradient. */
  public void checkFrozenBackbone() {
    if (config.method().trainsBackbone()) {
      return;
    }
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      if (e.getValue().hasGradient()) { // PyTorch: requires_grad
        throw new IllegalStateException("backbone tensor " + e.getKey() + " is not frozen");
      }
    }
  }

  /** Detaches (and frees) adapters this policy created; the backbone stays open. */
  @Override
  public void close() {
    if (ownsAdapters && adapters != null) {
      adapters.close();
    }
  }
}
