package io.github.dartrl.examples.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The study statistics against a case small enough to check by hand. */
class StudyStatsTest {

  /** 4 questions (q0, q1 onehop; q2, q3 twohop), per seed a 0/1 vector. */
  static void add(List<QuestionOutcome> out, String method, String variant, long seed, int... em) {
    for (int i = 0; i < em.length; i++) {
      out.add(
          new QuestionOutcome(
              seed, method, variant, "q" + i, i < 2 ? "onehop" : "twohop", em[i] == 1));
    }
  }

  static List<QuestionOutcome> handCase() {
    List<QuestionOutcome> o = new ArrayList<>();
    add(o, "DART", QuestionOutcome.AFTER, 1, 1, 1, 0, 0);
    add(o, "DART", QuestionOutcome.AFTER, 2, 1, 0, 0, 0);
    add(o, "LORA", QuestionOutcome.AFTER, 1, 0, 1, 0, 0);
    add(o, "LORA", QuestionOutcome.AFTER, 2, 0, 0, 0, 1);
    return o;
  }

  static StudyStats.ArmEm em(StudyStats.Result r, String arm, String source) {
    return r.em().stream()
        .filter(e -> e.arm().equals(arm) && e.source().equals(source))
        .findFirst()
        .orElseThrow();
  }

  static StudyStats.Paired paired(StudyStats.Result r, String b, String source) {
    return r.paired().stream()
        .filter(p -> p.b().equals(b) && p.source().equals(source))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pooledEmSeedSpreadAndThePairedDifferenceAreTheHandComputedOnes() {
    StudyStats.Result r = StudyStats.analyse(handCase(), "DART", 2000, 7);
    assertThat(r.seeds()).containsExactly(1L, 2L);
    assertThat(r.droppedQuestions()).isZero();
    // DART scores per question (mean over seeds): 1, .5, 0, 0 -> 0.375; seeds .5 and .25
    StudyStats.ArmEm dart = em(r, "DART", StudyStats.ALL);
    assertThat(dart.questions()).isEqualTo(4);
    assertThat(dart.pooled().estimate()).isCloseTo(0.375, within(1e-12));
    assertThat(dart.seeds().mean()).isCloseTo(0.375, within(1e-12));
    assertThat(dart.seeds().std()).isCloseTo(Math.sqrt(2 * 0.125 * 0.125), within(1e-12));
    assertThat(dart.pooled().lower()).isBetween(0.0, 0.375);
    assertThat(dart.pooled().upper()).isBetween(0.375, 1.0);
    // per data_source: onehop DART (1 + .5) / 2, LORA (0 + .5) / 2
    assertThat(em(r, "DART", "onehop").pooled().estimate()).isCloseTo(0.75, within(1e-12));
    assertThat(em(r, "LORA", "onehop").pooled().estimate()).isCloseTo(0.25, within(1e-12));
    assertThat(em(r, "LORA", "twohop").pooled().estimate()).isCloseTo(0.25, within(1e-12));
    // differences 1, 0, 0, -.5: mean .125, DART higher on 1 of 4, W+ = 2 (rank of 1), W- = 1
    StudyStats.Paired all = paired(r, "LORA", StudyStats.ALL);
    assertThat(all.difference().estimate()).isCloseTo(0.125, within(1e-12));
    assertThat(all.fractionGreater()).isCloseTo(0.25, within(1e-12));
    assertThat(all.fractionLess()).isCloseTo(0.25, within(1e-12));
    assertThat(all.test().zeros()).isEqualTo(2);
    assertThat(all.test().wPlus()).isCloseTo(2.0, within(1e-12));
    assertThat(all.test().wMinus()).isCloseTo(1.0, within(1e-12));
    assertThat(all.test().pValue()).isGreaterThan(0.05);
    assertThat(all.difference().lower()).isLessThanOrEqualTo(0.125);
    assertThat(all.difference().upper()).isGreaterThanOrEqualTo(0.125);
    // -0.5 and 1 are the extremes a resample of (1, 0, 0, -.5) can average to
    assertThat(all.difference().lower()).isGreaterThanOrEqualTo(-0.5);
    assertThat(all.difference().upper()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void theBootstrapIsPairedTheSameResamplesForEveryArm() {
    // LORA = DART on every question: every resample gives both the same EM, so the difference's
    // CI is exactly [0, 0] and the two arms' CIs coincide
    List<QuestionOutcome> o = new ArrayList<>();
    add(o, "DART", QuestionOutcome.AFTER, 1, 1, 0, 1, 0);
    add(o, "LORA", QuestionOutcome.AFTER, 1, 1, 0, 1, 0);
    StudyStats.Result r = StudyStats.analyse(o, "DART", 500, 3);
    StudyStats.Paired p = paired(r, "LORA", StudyStats.ALL);
    assertThat(p.difference().lower()).isZero();
    assertThat(p.difference().upper()).isZero();
    assertThat(em(r, "DART", StudyStats.ALL).pooled())
        .isEqualTo(em(r, "LORA", StudyStats.ALL).pooled());
  }

  @Test
  void onlySharedSeedsAndQuestionsArePooledAndDuplicatesCountOnce() {
    List<QuestionOutcome> o = handCase();
    add(o, "DART", QuestionOutcome.AFTER, 3, 1, 1, 1, 1); // LORA lacks seed 3: not pooled
    // the warm start evaluated by two runs: the second copy (all wrong) is ignored
    add(o, QuestionOutcome.WARM_START, QuestionOutcome.BEFORE, 1, 1, 1, 1, 0);
    add(o, QuestionOutcome.WARM_START, QuestionOutcome.BEFORE, 1, 0, 0, 0, 0);
    add(o, QuestionOutcome.WARM_START, QuestionOutcome.BEFORE, 2, 1, 1, 1, 0);
    add(o, "DART", QuestionOutcome.REASONING_ONLY, 1, 0, 0, 0, 0);
    add(o, "DART", QuestionOutcome.REASONING_ONLY, 2, 0, 0, 1, 0);
    o.add(new QuestionOutcome(1, "LORA", QuestionOutcome.AFTER, "q9", "twohop", true));
    StudyStats.Result r = StudyStats.analyse(o, "DART", 200, 1);
    assertThat(r.seeds()).containsExactly(1L, 2L);
    assertThat(r.droppedQuestions()).isEqualTo(1); // q9: only LORA seed 1 has it
    assertThat(em(r, "DART", StudyStats.ALL).pooled().estimate()).isCloseTo(0.375, within(1e-12));
    assertThat(em(r, QuestionOutcome.WARM_START, StudyStats.ALL).pooled().estimate())
        .isCloseTo(0.75, within(1e-12));
    assertThat(em(r, "DART reasoning_only", StudyStats.ALL).pooled().estimate())
        .isCloseTo(0.125, within(1e-12));
    // the isolated views are reported, not compared as rivals
    assertThat(r.paired()).noneMatch(p -> p.b().contains(" "));
    assertThat(r.paired()).anyMatch(p -> p.b().equals(QuestionOutcome.WARM_START));
  }

  @Test
  void armsWithoutACommonSeedAreRefused() {
    List<QuestionOutcome> o = new ArrayList<>();
    add(o, "DART", QuestionOutcome.AFTER, 1, 1, 0);
    add(o, "LORA", QuestionOutcome.AFTER, 2, 1, 0);
    assertThatThrownBy(() -> StudyStats.analyse(o, "DART", 100, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no seed is shared");
  }
}
