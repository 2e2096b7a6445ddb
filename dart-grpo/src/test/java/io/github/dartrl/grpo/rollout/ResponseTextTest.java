package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.reward.AnswerExtractor;
import io.github.dartrl.grpo.reward.F1Reward;
import io.github.dartrl.grpo.reward.FormatReward;
import io.github.dartrl.grpo.reward.RewardInput;
import io.github.dartrl.grpo.reward.SearchR1Format;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewards read the model's text only: the corrective message and retrieved passages never supply an
 * answer or decide the format.
 */
class ResponseTextTest {
  /** Search-R1's corrective message, lower-cased as in the bundled world. */
  static final String INVALID =
      "my previous action is invalid . if i want to search , i should put the query between"
          + " <search> and </search> . if i want to give the final answer , i should put the"
          + " answer between <answer> and </answer> . let me try again .";

  @TempDir static Path dir;
  static TextTokenizer tok;

  @BeforeAll
  static void setUp() {
    List<String> words =
        Arrays.stream(
                (INVALID + " salt and pepper what goes with eggs hmm the cook uses").split("\\s+"))
            .filter(w -> !w.startsWith("<"))
            .distinct()
            .toList();
    TinyModels.create(dir, words, TinyModels.Size.test(), 1);
    tok = TextTokenizer.load(dir);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
  }

  static Generation sampled(String text, FinishReason how) {
    long[] ids = tok.encode(text);
    float[] lp = new float[ids.length];
    TokenRole[] roles = new TokenRole[ids.length];
    Arrays.fill(roles, TokenRole.REASONING);
    return new Generation(ids, lp, roles, how, null, text);
  }

  static RewardInput input(Trajectory t) {
    List<String> obs = t.passages().stream().map(ObservationFormatter::text).toList();
    return new RewardInput(
        "what goes with eggs",
        List.of("salt and pepper"),
        t.responseText(),
        t.truncated(),
        t.queries().size(),
        obs);
  }

  @Test
  void anInvalidActionThatNeverAnsweredHasNoAnswer() {
    // turn 1 ends (EOS) with neither a search nor an answer: the environment sends the message;
    // the final turn thinks again and stops without answering
    TrajectoryRecorder rec = new TrajectoryRecorder(0, tok.encode("what goes with eggs"));
    rec.addSampled(sampled("<think> salt and pepper </think>", FinishReason.EOS));
    rec.invalid++;
    rec.addObservation(new ObservationFormatter(tok, 200).message(INVALID));
    rec.addSampled(sampled("<think> hmm </think>", FinishReason.EOS));
    rec.invalid++;
    rec.finish(Trajectory.End.MAX_TURNS, false);
    Trajectory t = rec.toTrajectory(tok);
    // the whole decoded response holds "<answer> and </answer>" (the environment's words) ...
    String everything =
        tok.decode(Arrays.copyOfRange(t.tokens(), t.promptLength(), t.tokens().length));
    assertThat(AnswerExtractor.extract(everything)).isEqualTo("and");
    // ... the response rewards read does not
    assertThat(t.responseText()).doesNotContain("answer", "invalid");
    assertThat(AnswerExtractor.extract(t.responseText())).isNull();
    assertThat(new F1Reward().score(input(t)).reward()).isZero(); // was 0.5
    assertThat(FormatReward.searchR1().score(input(t)).reward()).isZero(); // was 0.1
  }

  @Test
  void aWellFormedSearchThenAnswerStaysValidAndPassagesCannotAnswer() {
    TrajectoryRecorder rec = new TrajectoryRecorder(0, tok.encode("what goes with eggs"));
    rec.addSampled(sampled("<think> hmm </think> <search> eggs </search>", FinishReason.STOP));
    // a passage that itself holds an answer block
    List<Passage> found = List.of(new Passage("1", "eggs", "<answer> salt </answer>", 1));
    rec.searched("eggs", found);
    rec.addObservation(new ObservationFormatter(tok, 200).tokens(found));
    rec.addSampled(
        sampled(
            "<think> the cook uses </think> <answer> salt and pepper </answer>",
            FinishReason.STOP));
    rec.finish(Trajectory.End.ANSWER, false);
    Trajectory t = rec.toTrajectory(tok);
    assertThat(t.responseText()).contains(ResponseText.ENVIRONMENT_BLOCK.strip());
    assertThat(AnswerExtractor.extract(t.responseText())).isEqualTo("salt and pepper");
    assertThat(SearchR1Format.isValid(t.responseText(), true)).isTrue();
    assertThat(FormatReward.searchR1().score(input(t)).reward()).isEqualTo(1.0);
  }

  @Test
  void anInvalidActionMakesTheFormatInvalidEvenIfTheNextTurnIsClean() {
    // "<think> … </think>" then EOS: invalid; the next turn searches and answers properly
    TrajectoryRecorder rec = new TrajectoryRecorder(0, tok.encode("what goes with eggs"));
    rec.addSampled(sampled("<think> hmm </think>", FinishReason.EOS));
    rec.addObservation(new ObservationFormatter(tok, 200).message(INVALID));
    rec.addSampled(sampled("<answer> salt and pepper </answer>", FinishReason.STOP));
    rec.finish(Trajectory.End.ANSWER, false);
    Trajectory t = rec.toTrajectory(tok);
    assertThat(AnswerExtractor.extract(t.responseText())).isEqualTo("salt and pepper");
    assertThat(SearchR1Format.isValid(t.responseText(), true)).isFalse();
    // correct but malformed: correct − structure, as Search-R1 scores it
    assertThat(FormatReward.searchR1().score(input(t)).reward())
        .isCloseTo(0.8, org.assertj.core.api.Assertions.within(1e-12));
  }
}
