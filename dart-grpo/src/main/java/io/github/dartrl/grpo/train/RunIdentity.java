package io.github.dartrl.grpo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checkpoint must agree on with the trainer that resumes it: the {@link GrpoConfig}, each
 * learner's {@link PolicyConfig} and the prompt template, as JSON trees (record components by name,
 * so two runs compare field by field), and the base model when the trainer was told it. Stored in
 * {@code trainer_state.json}; {@link CheckpointCompatibility} compares two of them.
 *
 * @param config the GRPO config as JSON ({@code trainRoles} sorted)
 * @param policies learner name to its policy config as JSON
 * @param template the prompt template as JSON, or null in checkpoints that did not record it
 * @param model the base model, or null if unknown
 */
record RunIdentity(
    JsonNode config, Map<String, JsonNode> policies, JsonNode template, ModelIdentity model) {
  private static final ObjectMapper JSON = new ObjectMapper();

  RunIdentity {
    policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
  }

  /** The identity of a run about to train. */
  static RunIdentity of(
      GrpoConfig config,
      Map<String, PolicyConfig> policies,
      PromptTemplate template,
      ModelIdentity model) {
    Map<String, JsonNode> p = new LinkedHashMap<>();
    policies.forEach((k, v) -> p.put(k, asRead(JSON.valueToTree(v))));
    return new RunIdentity(
        asRead(configJson(config)), p, asRead(JSON.valueToTree(template)), model);
  }

  /**
   * The tree as it reads back from the file: a long 7 and a read 7 are different node types, which
   * would compare unequal.
   */
  private static JsonNode asRead(JsonNode n) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(n));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A GRPO config as JSON: every record component by name, sets in a stable order, and the {@link
   * io.github.dartrl.core.optim.OptimConfig} fields at the top level ({@code learningRate}, {@code
   * microBatchSize}, ...), as checkpoints stored them before the optimisation settings became a
   * record of their own: old and new checkpoints compare field by field, under the same names.
   */
  static ObjectNode configJson(GrpoConfig config) {
    ObjectNode nested = JSON.valueToTree(config);
    ObjectNode n = JSON.createObjectNode();
    nested
        .properties()
        .forEach(
            e -> {
              if (e.getKey().equals("optim")) {
                n.setAll((ObjectNode) e.getValue());
              } else {
                n.set(e.getKey(), e.getValue());
              }
            });
    ArrayNode roles = n.putArray("trainRoles");
    config.trainRoles().stream().map(Enum::name).sorted().forEach(roles::add);
    return n;
  }

  /** The base model as JSON ({@code path}, {@code config_sha256}, {@code weight_files}). */
  static ObjectNode modelJson(ModelIdentity m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("path", m.path());
    n.put("config_sha256", m.configSha256());
    ObjectNode files = n.putObject("weight_files");
    m.weightFiles().forEach(files::put);
    return n;
  }
}
