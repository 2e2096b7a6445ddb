package io.github.dartrl.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.UntrustedJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One finished scenario of {@link MemoryBench}, as stored (one JSON line) the moment its child JVM
 * ends: what was measured, with what settings, and the comparisons that could be made then.
 *
 * @param id the scenario's id ({@link MemoryPlan.Spec#id})
 * @param shape the shape's display name
 * @param kind what the child measured
 * @param checkpointing gradient checkpointing on
 * @param storage backbone storage
 * @param weightBytes the shape's fp32 weight bytes (parameters × 4)
 * @param peakBytes the child's VmHWM in bytes
 * @param seconds the scenario's seconds after loading
 * @param tokens tokens per sequence (GRPO) or prompt plus generated tokens
 * @param limitRatio target multiple of the fp32 weight bytes, or null
 * @param limitExtraBytes bytes the target allows on top
 * @param reference id of the row this one's time and log-probs are compared with
 * @param logProbs the training forward's log-probs of the fixed sequence (GRPO rows), else empty
 * @param phasePeakBytes the largest resident size sampled per phase ({@link PhaseSampler}), bytes
 * @param settings the bench settings it was measured with ({@link MemoryBench.Settings#describe})
 * @param finished when the child ended (ISO-8601 UTC)
 */
record MemoryRow(
    String id,
    String shape,
    MemoryScenario.Kind kind,
    boolean checkpointing,
    String storage,
    long weightBytes,
    double peakBytes,
    double seconds,
    double tokens,
    Double limitRatio,
    double limitExtraBytes,
    String reference,
    float[] logProbs,
    java.util.Map<String, Double> phasePeakBytes,
    String settings,
    String finished) {
  private static final ObjectMapper JSON = UntrustedJson.newMapper();
  private static final double GB = 1e9;

  String options() {
    return storage + (checkpointing ? " + checkpointing" : "");
  }

  double ratio() {
    return peakBytes / weightBytes;
  }

  /** Empty when the row has no target. */
  String target() {
    if (limitRatio == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "≤ %.2f×%s",
        limitRatio,
        limitExtraBytes > 0 ? String.format(Locale.ROOT, " + %.1f GB", limitExtraBytes / GB) : "");
  }

  /** PASS, MISS, or empty without a target. */
  String verdict() {
    if (limitRatio == null) {
      return "";
    }
    return peakBytes <= limitRatio * weightBytes + limitExtraBytes ? "PASS" : "MISS";
  }

  /** This row's seconds over its reference row's, NaN without the reference. */
  double timeRatio(MemoryRow ref) {
    return ref == null ? Double.NaN : seconds / ref.seconds();
  }

  /**
   * The largest absolute log-prob difference from the reference row's, NaN if either has none (a
   * decode row, or the reference not measured yet).
   */
  double lpDiff(MemoryRow ref) {
    if (ref == null || logProbs.length == 0 || ref.logProbs().length != logProbs.length) {
      return Double.NaN;
    }
    double worst = 0;
    for (int i = 0; i < logProbs.length; i++) {
      worst = Math.max(worst, Math.abs(logProbs[i] - ref.logProbs()[i]));
    }
    return worst;
  }

  /**
   * The stored line: the measured values, and the ratios and verdict as computed against {@code
   * ref} (null: not available yet; the table recomputes them from the stored rows).
   */
  String toJson(MemoryRow ref) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("shape", shape);
    o.put("scenario", MemoryPlan.describe(kind, tokens));
    o.put("kind", kind.name());
    o.put("checkpointing", checkpointing);
    o.put("storage", storage);
    o.put("options", options());
    o.put("weight_bytes", weightBytes);
    o.put("peak_bytes", peakBytes);
    o.put("peak_gb", peakBytes / GB);
    o.put("ratio", ratio());
    if (limitRatio == null) {
      o.putNull("limit_ratio");
    } else {
      o.put("limit_ratio", limitRatio);
    }
    o.put("limit_extra_bytes", limitExtraBytes);
    o.put("target", target());
    o.put("verdict", verdict());
    o.put("seconds", seconds);
    o.put("tokens", tokens);
    o.put("reference", reference);
    putNumber(o, "time_ratio", timeRatio(ref));
    putNumber(o, "lp_max_abs_diff", lpDiff(ref));
    ArrayNode lp = o.putArray("logprobs");
    for (float f : logProbs) {
      lp.add(f);
    }
    ObjectNode phases = o.putObject("phase_peak_gb");
    phasePeakBytes.forEach((k, v) -> phases.put(k, v / GB));
    o.put("settings", settings);
    o.put("finished", finished);
    return o.toString();
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }

  /** Reads a stored line. */
  static MemoryRow fromJson(String line) throws java.io.IOException {
    JsonNode o = JSON.readTree(line);
    List<Float> lp = new ArrayList<>();
    o.path("logprobs").forEach(n -> lp.add(n.floatValue()));
    float[] lps = new float[lp.size()];
    for (int i = 0; i < lps.length; i++) {
      lps[i] = lp.get(i);
    }
    JsonNode limit = o.path("limit_ratio");
    java.util.Map<String, Double> phases = new java.util.LinkedHashMap<>();
    o.path("phase_peak_gb")
        .fields()
        .forEachRemaining(e -> phases.put(e.getKey(), e.getValue().asDouble() * GB));
    return new MemoryRow(
        text(o, "id"),
        text(o, "shape"),
        MemoryScenario.Kind.valueOf(text(o, "kind")),
        o.path("checkpointing").asBoolean(),
        text(o, "storage"),
        o.path("weight_bytes").asLong(),
        o.path("peak_bytes").asDouble(),
        o.path("seconds").asDouble(),
        o.path("tokens").asDouble(),
        limit.isNumber() ? limit.asDouble() : null,
        o.path("limit_extra_bytes").asDouble(),
        text(o, "reference"),
        lps,
        phases,
        text(o, "settings"),
        text(o, "finished"));
  }

  private static String text(JsonNode o, String field) throws java.io.IOException {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new java.io.IOException("field \"" + field + "\": expected a string");
    }
    return v.asText();
  }

  /** The sampled peak of each phase, e.g. {@code load 2.10 · rollout 2.40 GB}. */
  String phaseSummary() {
    StringBuilder sb = new StringBuilder();
    phasePeakBytes.forEach(
        (k, v) ->
            sb.append(sb.length() == 0 ? "" : " · ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.2f", v / GB)));
    return sb.append(" GB").toString();
  }

  /** The CSV header matching {@link #csv}. */
  static String csvHeader() {
    return "id,shape,scenario,options,peak_gb,ratio,target,verdict,seconds,time_ratio,"
        + "lp_max_abs_diff,settings,finished";
  }

  /** One CSV line (ratios against {@code ref}, empty when not available). */
  String csv(MemoryRow ref) {
    double t = timeRatio(ref);
    double lp = lpDiff(ref);
    return String.join(
        ",",
        id,
        shape,
        quote(MemoryPlan.describe(kind, tokens)),
        quote(options()),
        String.format(Locale.ROOT, "%.3f", peakBytes / GB),
        String.format(Locale.ROOT, "%.3f", ratio()),
        quote(target()),
        verdict(),
        String.format(Locale.ROOT, "%.1f", seconds),
        Double.isNaN(t) ? "" : String.format(Locale.ROOT, "%.3f", t),
        Double.isNaN(lp) ? "" : String.format(Locale.ROOT, "%.3e", lp),
        quote(settings),
        finished);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** One Markdown table line (ratios against {@code ref}, empty when not available). */
  String markdown(MemoryRow ref) {
    double t = timeRatio(ref);
    double lp = lpDiff(ref);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %.2f | %.2f | %s | %s | %.1f | %s | %s |",
        shape,
        MemoryPlan.describe(kind, tokens),
        options(),
        peakBytes / GB,
        ratio(),
        target(),
        verdict(),
        seconds,
        Double.isNaN(t) ? "" : String.format(Locale.ROOT, "%.2f", t),
        Double.isNaN(lp) ? "" : String.format(Locale.ROOT, "%.2e", lp));
  }
}
