package io.github.dartrl.examples.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts the libtorch operators a piece of work dispatches, with PyTorch's profiler (through DJL's
 * {@code JniUtils.startProfile}): the top-level operator events of the Chrome trace (ops not nested
 * in another op) are the ops the Java side called, and the time outside them is Java, JNI and DJL
 * bookkeeping. The count does not depend on machine load; the time split does, and the profiler
 * adds its own overhead, so the suite's timed share comes from the twin model instead.
 *
 * @param ops top-level operator events
 * @param spanMs from the first op's start to the last op's end
 * @param insideMs summed duration of the top-level ops
 */
record OpProfile(int ops, double spanMs, double insideMs) {

  /** Profiles one run of {@code work}. */
  static OpProfile of(Runnable work) throws IOException {
    Path trace = Files.createTempFile("dart4j-profile", ".json");
    try {
      JniUtils.startProfile(false, false, false);
      try {
        work.run();
      } finally {
        JniUtils.stopProfile(trace.toString());
      }
      return parse(new ObjectMapper().readTree(trace.toFile()));
    } finally {
      Files.deleteIfExists(trace);
    }
  }

  /** Top-level complete ("X") events of a Chrome trace, on any thread, by start time. */
  static OpProfile parse(JsonNode root) {
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    List<double[]> spans = new ArrayList<>(); // start, duration (µs)
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        spans.add(new double[] {e.path("ts").asDouble(), e.path("dur").asDouble()});
      }
    }
    spans.sort(Comparator.<double[]>comparingDouble(s -> s[0]).thenComparingDouble(s -> -s[1]));
    int ops = 0;
    double end = Double.NEGATIVE_INFINITY;
    double first = Double.NaN;
    double inside = 0;
    for (double[] s : spans) {
      if (s[0] >= end) {
        ops++;
        inside += s[1];
        end = s[0] + s[1];
        if (Double.isNaN(first)) {
          first = s[0];
        }
      }
    }
    return new OpProfile(ops, ops == 0 ? 0 : (end - first) / 1000, inside / 1000);
  }
}
