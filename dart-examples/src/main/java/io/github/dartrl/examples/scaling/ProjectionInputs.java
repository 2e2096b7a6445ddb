package io.github.dartrl.examples.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a projection assumes besides the measured Spark costs: measured real-shaped GRPO step times
 * (the per-token compute scales from one of them), the target model (its {@code config.json}) and
 * the target step (prompts × G, tokens, updates). Read from a JSON file such as
 * docs/results/spark-costs-2026-12-07/projection-inputs.json.
 *
 * @param warmUpSteps measured steps left out (executor start, backbone loads, JIT)
 * @param realShaped measured real-shaped steps; the last one is scaled from
 * @param target the target model's config
 * @param targetName how the target model is named in the output
 * @param adapterRank LoRA rank of every adapter on every projection
 * @param adapters adapters trained (DART: 2)
 * @param prompts prompts per target step
 * @param groupSize samples per prompt
 * @param tokensPerTrajectory tokens per target trajectory (prompt, responses, observations)
 * @param updatesPerStep optimizer updates per step (PPO epochs × mini-batches): one gradient job
 *     and one more broadcast each
 * @param trajectoryBytesPerToken bytes per token a trajectory carries to and from the driver
 * @param executors executor counts to project
 */
public record ProjectionInputs(
    int warmUpSteps,
    List<RealShapedStep> realShaped,
    ModelConfig target,
    String targetName,
    int adapterRank,
    int adapters,
    int prompts,
    int groupSize,
    int tokensPerTrajectory,
    int updatesPerStep,
    double trajectoryBytesPerToken,
    List<Integer> executors) {

  /**
   * One measured real-shaped GRPO step.
   *
   * @param name its row in docs/benchmarks.md
   * @param parameters backbone parameters of its shape
   * @param trajectories trajectories the step trained on
   * @param tokensPerTrajectory tokens per trajectory
   * @param seconds its measured wall time
   */
  public record RealShapedStep(
      String name, long parameters, int trajectories, int tokensPerTrajectory, double seconds) {
    /** Seconds per backbone parameter per trajectory token. */
    public double secondsPerParameterToken() {
      return seconds / ((double) parameters * trajectories * tokensPerTrajectory);
    }
  }

  /** Reads the inputs; a relative {@code target.config} is relative to the file's directory. */
  public static ProjectionInputs read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<RealShapedStep> rows = new ArrayList<>();
    for (JsonNode r : require(root, "real_shaped_steps", file)) {
      JsonNode s = require(r, "shape", file);
      ModelConfig shape =
          ModelConfig.qwen2(
              require(s, "vocab", file).asInt(),
              require(s, "hidden", file).asInt(),
              require(s, "layers", file).asInt(),
              require(s, "heads", file).asInt(),
              require(s, "kv_heads", file).asInt(),
              require(s, "intermediate", file).asInt(),
              32768);
      rows.add(
          new RealShapedStep(
              require(r, "name", file).asText(),
              shape.parameterCount(),
              require(r, "trajectories", file).asInt(),
              require(r, "tokens_per_trajectory", file).asInt(),
              require(r, "seconds", file).asDouble()));
    }
    if (rows.isEmpty()) {
      throw new IOException(file + ": real_shaped_steps is empty");
    }
    JsonNode t = require(root, "target", file);
    Path config = Path.of(require(t, "config", file).asText());
    Path dir = file.toAbsolutePath().getParent();
    List<Integer> executors = new ArrayList<>();
    for (JsonNode e : require(root, "executors", file)) {
      executors.add(e.asInt());
    }
    return new ProjectionInputs(
        require(root, "warm_up_steps", file).asInt(),
        rows,
        ModelConfig.read(config.isAbsolute() ? config : dir.resolve(config)),
        require(t, "name", file).asText(),
        require(t, "adapter_rank", file).asInt(),
        require(t, "adapters", file).asInt(),
        require(t, "prompts", file).asInt(),
        require(t, "group_size", file).asInt(),
        require(t, "tokens_per_trajectory", file).asInt(),
        require(t, "updates_per_step", file).asInt(),
        require(t, "trajectory_bytes_per_token", file).asDouble(),
        executors);
  }

  /**
   * Trainable floats of the adapters on every attention and MLP projection of every layer: rank ×
   * (in + out) per projection (docs/scaling.md's arithmetic, from the config).
   */
  public long adapterFloats() {
    ModelConfig c = target;
    long d = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long i = c.intermediateSize();
    long perLayer = (d + q) + 2 * (d + kv) + (q + d) + 2 * (d + i) + (i + d);
    return (long) adapters * adapterRank * perLayer * c.numLayers();
  }

  private static JsonNode require(JsonNode n, String name, Path file) throws IOException {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new IOException(file + ": field " + name + " missing");
    }
    return v;
  }
}
