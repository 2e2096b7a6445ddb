package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation can report a non-zero exact match, and the right one: a tiny model fine-tuned to
 * answer {@code <answer> paris </answer>} to every question scores EM 1 on the questions whose
 * answer is "paris" and 0 on the others, so the overall EM is exactly 4/6 (1 and 0 per source). An
 * evaluation that always returned 0, mixed up rows and golden answers, or scored the wrong text
 * would miss it.
 */
class EvaluationExactMatchTest extends TinyRunBase {
  static final String ANSWER = "<answer> paris </answer>";

  static QaDataset evalSet() {
    List<QaExample> xs = new ArrayList<>();
    String[] paris = {"who is the capital", "capital of france", "the city", "who is the city"};
    for (int i = 0; i < paris.length; i++) {
      xs.add(new QaExample("p" + i, paris[i], List.of("Paris"), "onehop", Map.of()));
    }
    String[] other = {"the capital of the city", "who is france"};
    for (int i = 0; i < other.length; i++) {
      xs.add(new QaExample("f" + i, other[i], List.of("france"), "twohop", Map.of()));
    }
    return QaDataset.of(xs);
  }

  @Test
  void reachableAnswersGiveExactlyTheExpectedExactMatch(@TempDir Path run) {
    QaDataset eval = evalSet();
    try (DecoderModel model = HfCheckpoint.load(modelDir, root);
        Policy p = Policy.create(model, PolicyConfig.of(Method.FULL, 4), tok)) {
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < eval.size(); i++) {
        prompts.add(TinyRun.SHORT.apply(eval.get(i).question()));
      }
      FixedAnswerSft.teach(p, tok, prompts, ANSWER);
      GrpoConfig cfg = TinyRun.config().evalBatchSize(4).build();
      // the premise: greedy decoding now answers "paris" to every question, without searching
      RolloutEngine greedy =
          new RolloutEngine(
              p,
              tok,
              new TinyRun.ScriptedRetriever(),
              TinyRun.SHORT,
              cfg.rollout().withSampling(0, 1.0));
      List<String> questions = new ArrayList<>();
      for (int i = 0; i < eval.size(); i++) {
        questions.add(eval.get(i).question());
      }
      for (Trajectory t : greedy.rollout(questions, 1, 1)) {
        assertThat(t.responseText().trim())
            .as("greedy answer to %s", questions.get(t.taskIndex()))
            .isEqualTo(ANSWER);
      }
      try (Trainer t =
          TinyRun.trainer(p, tok, cfg, run, new TinyRun.ScriptedRetriever())
              .reward(RewardFunctions.named("em"))
              .build()) {
        EvalResult r = t.evaluate(eval);
        assertThat(r.exactMatch()).isEqualTo(4 / 6.0);
        assertThat(r.exactMatchBySource())
            .containsEntry("onehop", 1.0)
            .containsEntry("twohop", 0.0);
        assertThat(r.countBySource()).containsEntry("onehop", 4).containsEntry("twohop", 2);
        // the same evaluation without a Trainer: identical result, and each question's outcome
        List<QuestionResult> rows = new ArrayList<>();
        EvalResult alone =
            Evaluator.builder()
                .policy(p)
                .tokenizer(tok)
                .retriever(new TinyRun.ScriptedRetriever())
                .promptTemplate(TinyRun.SHORT)
                .reward(RewardFunctions.named("em"))
                .config(cfg)
                .build()
                .evaluate(eval, rows::add);
        assertThat(alone).isEqualTo(r);
        assertThat(rows).extracting(QuestionResult::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(rows)
            .extracting(QuestionResult::exactMatch)
            .containsExactly(true, true, true, true, false, false);
        assertThat(rows).allSatisfy(q -> assertThat(q.response().trim()).isEqualTo(ANSWER));
        assertThat(rows.get(4).example()).isEqualTo(eval.get(4));
      }
    }
  }
}
