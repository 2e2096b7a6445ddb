package io.github.dartrl.examples.interference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controls' side-by-side tables: their figures, the stated readings and every bad input. */
class ControlsTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void readsEachRunsFiguresAndAppliesTheStatedRules() throws IOException {
    // conflict: CI [50%, 70%] above a null mean of 40% and p 0.001 -> detected; its batch
    // angles larger in every split with p05 above 90 degrees -> larger, obtuse
    Path conflict = run("conflict", summary(0.25, 0.6, 0.5, 0.7, 0.40, 0.001, 1.0, 1e-30, 91.1));
    // default: CI [28%, 43%] around a null mean of 39% -> consistent; angles larger in 60%
    Path defaults = run("default", summary(0.30, 0.35, 0.28, 0.43, 0.39, 0.7, 0.6, 0.2, 85.7));
    // a CI under the null's mean: fewer lambda23 < 0 than chance
    Path below = run("below", summary(0.12, 0.1, 0.0, 0.3, 0.3986, 0.993, 0.99, 0.01, 89.0));
    String md =
        ControlsTable.markdown(
            List.of(
                new ControlsTable.Run("default", defaults),
                new ControlsTable.Run("conflict", conflict),
                new ControlsTable.Run("below", below)));
    assertThat(md)
        .contains(
            "| default | 0.300 | 40 / 120 | independent | 35.0% [28.0%, 43.0%] |"
                + " 39.0% [10.0%, 70.0%] | 0.700 | 14 : 16, p 0.856 | consistent with the null |")
        .contains(
            "| conflict | 0.250 | 40 / 120 | independent | 60.0% [50.0%, 70.0%] |"
                + " 40.0% [10.0%, 70.0%] | 0.001 | 24 : 6, p 0.00143 | detected |")
        .contains(
            "| below | 0.120 | 40 / 120 | independent | 10.0% [0.0%, 30.0%] |"
                + " 39.9% [10.0%, 70.0%] | 0.993 | 4 : 26, p 5.95e-05 | below the null |")
        .contains(
            "| conflict | base-full | 68 | 92.2° [91.1, 93.4] | 78.6° [76.3, 81.1] |"
                + " 82.3° [79.9, 86.5] | 100% | < 1e-4 | larger, obtuse |")
        .contains("| default | base-full | 68 | 92.2° [85.7, 93.4] |")
        .contains("| 60% | 0.200 | not larger |")
        // a target whose batch probe had nothing to measure keeps its row and its reason
        .contains("| conflict | unified-lora | – | no batch angles: only 1 mixed-reward group |")
        // runs keep the order given
        .satisfies(s -> assertThat(s.indexOf("| default |")).isLessThan(s.indexOf("| conflict |")));
  }

  @Test
  void countsSampledWithCommonRandomNumbersAreNotReadAgainstTheNull() throws IOException {
    ObjectNode s = summary(0.1, 0.175, 0.079, 0.27, 0.409, 1.0, 1.0, 1e-30, 91.1);
    ObjectNode at = (ObjectNode) s.path("attribution");
    at.put("streams", "COMMON");
    at.putObject("lambda23_sign").put("negative", 0).put("positive", 0).put("pValue", "NaN");
    // a run from before the option: no streams field, no sign test
    ObjectNode old = summary(0.1, 0.175, 0.079, 0.27, 0.409, 1.0, 1.0, 1e-30, 91.1);
    ((ObjectNode) old.path("attribution")).remove(List.of("streams", "lambda23_sign"));
    String md =
        ControlsTable.markdown(
            List.of(
                new ControlsTable.Run("crn", run("crn", s)),
                new ControlsTable.Run("old", run("old", old))));
    assertThat(md)
        .contains(
            "| crn | 0.100 | 40 / 120 | common | 17.5% [7.9%, 27.0%] | 40.9% [10.0%, 70.0%] |"
                + " 1.000 | 0 : 0, p – | null not applicable (common streams) |")
        .contains("| old | 0.100 | 40 / 120 | common | 17.5% [7.9%, 27.0%] |")
        .contains(" | – | null not applicable (common streams) |");
  }

  @Test
  void aRunWithoutAttributionSaysWhy() throws IOException {
    ObjectNode s = summary(0.0, 0.6, 0.5, 0.7, 0.4, 0.001, 1.0, 1e-30, 91.1);
    ObjectNode at = s.putObject("attribution");
    at.put("questions_sampled", 24);
    at.put("error", "no question was kept");
    String md = ControlsTable.markdown(List.of(new ControlsTable.Run("smoke", run("smoke", s))));
    assertThat(md)
        .contains(
            "| smoke | 0.000 | – / 24 | common | – | – | – | – | no λ23: no question was kept |");
  }

  @Test
  void aMissingFieldIsNamedWithItsFile() throws IOException {
    ObjectNode s = summary(0.3, 0.6, 0.5, 0.7, 0.4, 0.001, 1.0, 1e-30, 91.1);
    ((ObjectNode) s.path("attribution").path("lambda23")).remove("lower");
    Path r = run("broken", s);
    assertThatThrownBy(() -> ControlsTable.markdown(List.of(new ControlsTable.Run("x", r))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(r.resolve("summary.json").toString())
        .hasMessageContaining("field attribution.lambda23.lower is missing or not a number");
    ObjectNode t = summary(0.3, 0.6, 0.5, 0.7, 0.4, 0.001, 1.0, 1e-30, 91.1);
    ((ObjectNode) t.path("probes").path("base-full").path("batch").path("inter_role"))
        .put("p05", "ninety");
    Path r2 = run("broken2", t);
    assertThatThrownBy(() -> ControlsTable.markdown(List.of(new ControlsTable.Run("x", r2))))
        .hasMessageContaining("field probes.base-full.batch.inter_role.p05 is missing");
  }

  @Test
  void refusesWhatIsNotAFinishedInterferenceRun() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> ControlsTable.markdown(List.of(new ControlsTable.Run("e", empty))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("e: " + empty.resolve("summary.json") + " does not exist");
    Path notJson = Files.createDirectories(dir.resolve("notjson"));
    Files.writeString(notJson.resolve("summary.json"), "{\n  \"kind\": oops\n}\n");
    assertThatThrownBy(() -> ControlsTable.markdown(List.of(new ControlsTable.Run("n", notJson))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON (line 2)");
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("summary.json"), "{\"kind\": \"dart4j-quickstart\"}");
    assertThatThrownBy(() -> ControlsTable.markdown(List.of(new ControlsTable.Run("o", other))))
        .hasMessageContaining("not an interference summary");
    assertThatThrownBy(() -> ControlsTable.markdown(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesNameEqualsDir() {
    ControlsTable.Run r = ControlsTable.Run.parse("conflict=runs/c/conflict");
    assertThat(r.name()).isEqualTo("conflict");
    assertThat(r.dir()).isEqualTo(Path.of("runs/c/conflict"));
    for (String bad : List.of("conflict", "=dir", "conflict=")) {
      assertThatThrownBy(() -> ControlsTable.Run.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected NAME=DIR")
          .hasMessageContaining("'" + bad + "'");
    }
  }

  private Path run(String name, ObjectNode summary) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    JSON.writeValue(d.resolve("summary.json").toFile(), summary);
    return d;
  }

  /** A summary.json as InterferenceReport writes it, with the fields the tables read. */
  private static ObjectNode summary(
      double baseEm,
      double measured,
      double lower,
      double upper,
      double nullMean,
      double p,
      double share,
      double wilcoxonP,
      double interP05) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "dart4j-interference");
    n.putObject("variants").putObject("Base").put("greedy_em", baseEm);
    ObjectNode at = n.putObject("attribution");
    at.put("questions_sampled", 120);
    at.put("questions_kept", 40);
    ObjectNode l = at.putObject("lambda23");
    l.put("estimate", measured).put("lower", lower).put("upper", upper);
    ObjectNode nl = at.putObject("lambda23_null");
    nl.put("null_mean", nullMean).put("null_lower", 0.1).put("null_upper", 0.7);
    nl.put("p_value", p);
    at.put("streams", "INDEPENDENT");
    // 30 non-zero λ23 of the 40 kept, split as the measured fraction says
    int negative = (int) Math.round(measured * 40);
    ObjectNode sign = at.putObject("lambda23_sign");
    sign.put("negative", negative).put("positive", Math.max(0, 30 - negative));
    sign.put(
        "pValue", io.github.dartrl.leas.stats.SignComparison.of(negative, 30 - negative).pValue());
    ObjectNode probes = n.putObject("probes");
    ObjectNode b = probes.putObject("base-full").putObject("batch");
    b.put("groups", 68);
    range(b.putObject("inter_role"), 92.2, interP05, 93.4);
    range(b.putObject("same_reasoning"), 78.6, 76.3, 81.1);
    range(b.putObject("same_tool"), 82.3, 79.9, 86.5);
    b.putObject("inter_role_vs_same_role").put("fractionGreater", share).put("pValue", wilcoxonP);
    probes
        .putObject("unified-lora")
        .put("mixed_groups", 1)
        .put("batch_error", "only 1 mixed-reward group");
    return n;
  }

  private static void range(ObjectNode s, double median, double p05, double p95) {
    s.put("median", median).put("p05", p05).put("p95", p95);
  }
}
