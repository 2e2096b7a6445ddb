package io.github.dartrl.grpo.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment judges turns and runs tools through the public SPI only. */
class ToolEnvironmentTest {
  @TempDir static Path dir;
  static TextTokenizer tok;
  static final String INVALID = "\nMy previous action is invalid. Let me try again.\n";

  @BeforeAll
  static void setUp() {
    TinyModels.create(
        dir,
        List.of("who", "is", "the", "capital", "of", "paris", "france", "city", "sum"),
        new TinyModels.Size(32, 2, 4, 2, 64, 1024),
        4);
    tok = TextTokenizer.load(dir);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
  }

  /** A tool named {@code name} on {@code span} that answers each batch with {@code execute}. */
  static Tool tool(String name, ToolSpan span, UnaryOperator<List<String>> execute) {
    return new Tool() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ToolSpan span() {
        return span;
      }

      @Override
      public List<String> execute(List<String> calls) {
        return execute.apply(calls);
      }
    };
  }

  /** One row whose turn stopped at a closing tag after {@code text}, with turns left. */
  static List<TurnOutcome> oneStoppedTurn(ToolEnvironment env, String text) {
    return env.step(
        new boolean[] {true}, new String[] {text}, new FinishReason[] {FinishReason.STOP}, false);
  }

  /** A toy tool: adds the integers of a call; records every batch it is given. */
  static final class Adder implements Tool {
    final List<List<String>> batches = new ArrayList<>();

    @Override
    public String name() {
      return "adder";
    }

    @Override
    public ToolSpan span() {
      return new ToolSpan("<calc>", "</calc>");
    }

    @Override
    public List<String> execute(List<String> calls) {
      batches.add(List.copyOf(calls));
      List<String> out = new ArrayList<>();
      for (String c : calls) {
        try {
          int sum = 0;
          for (String n : c.split("\\+")) {
            sum += Integer.parseInt(n.strip());
          }
          out.add("\n\n<result>" + sum + "</result>\n\n");
        } catch (NumberFormatException e) {
          out.add("\n\n<result>error: not a sum</result>\n\n");
        }
      }
      return out;
    }
  }

  /** Two fixed passages per query; records each batch. */
  static final class TwoPassages implements Retriever {
    final List<List<String>> batches = new ArrayList<>();

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      batches.add(List.copyOf(queries));
      List<List<Passage>> out = new ArrayList<>();
      for (String q : queries) {
        out.add(
            List.of(
                new Passage("1", "paris", "paris is the capital of france .", 2.0),
                new Passage("2", q, "the city is " + q + " .", 1.0)));
      }
      return out;
    }
  }

  static ToolEnvironment env(Tool... tools) {
    return new ToolEnvironment(
        List.of(tools), new ToolSpan("<answer>", "</answer>"), INVALID, 2, 60, tok);
  }

  @Test
  void eachToolRunsOncePerTurnWithAllItsCallsAndEachRowGetsItsOwnObservation() {
    Adder adder = new Adder();
    TwoPassages retriever = new TwoPassages();
    SearchTool search = new SearchTool(ToolSpan.search(), retriever, 2);
    ToolEnvironment env = env(search, adder);
    String[] text = {
      "<think> hmm </think> <search> paris </search>",
      "<calc> 2 + 3 </calc>",
      "<calc>1+1</calc>",
      "<think> nothing to do </think>",
      "<answer> paris </answer>",
      "<search> france </search>",
      null
    };
    boolean[] active = {true, true, true, true, true, true, false};
    FinishReason[] how = new FinishReason[text.length];
    java.util.Arrays.fill(how, FinishReason.STOP);

    List<TurnOutcome> out = env.step(active, text, how, false);

    assertThat(adder.batches).containsExactly(List.of("2 + 3", "1+1"));
    assertThat(retriever.batches).containsExactly(List.of("paris", "france"));
    assertThat(out.get(1).kind()).isEqualTo(TurnOutcome.Kind.CALLED);
    assertThat(out.get(1).tool()).isEqualTo("adder");
    assertThat(out.get(1).observation()).containsExactly(tok.encode("\n\n<result>5</result>\n\n"));
    assertThat(out.get(2).observation()).containsExactly(tok.encode("\n\n<result>2</result>\n\n"));
    assertThat(out.get(1).passages()).isNull();
    // search observations are Search-R1's, byte for byte, cut as before
    for (int r : new int[] {0, 5}) {
      TurnOutcome o = out.get(r);
      assertThat(o.tool()).isEqualTo("search");
      assertThat(o.passages()).hasSize(2);
      assertThat(o.observation())
          .containsExactly(new ObservationFormatter(tok, 60).tokens(o.passages()));
    }
    assertThat(out.get(0).call()).isEqualTo("paris");
    assertThat(out.get(5).passages().get(1).title()).isEqualTo("france");
    assertThat(out.get(3).kind()).isEqualTo(TurnOutcome.Kind.CORRECTED);
    assertThat(out.get(3).valid()).isFalse();
    assertThat(out.get(3).observation()).containsExactly(tok.encode(INVALID));
    assertThat(out.get(4).kind()).isEqualTo(TurnOutcome.Kind.ANSWERED);
    assertThat(out.get(4).ends()).isTrue();
    assertThat(out.get(6)).isNull();
  }

  @Test
  void theFirstCompleteActionOfTheTurnCounts() {
    Adder adder = new Adder();
    ToolEnvironment env = env(new SearchTool(ToolSpan.search(), new TwoPassages(), 1), adder);
    String[] text = {"<answer> 4 </answer> <calc> 2+2 </calc>", "<calc> 1 <answer> x </answer>"};
    List<TurnOutcome> out =
        env.step(
            new boolean[] {true, true},
            text,
            new FinishReason[] {FinishReason.STOP, FinishReason.STOP},
            false);
    assertThat(out.get(0).kind()).isEqualTo(TurnOutcome.Kind.ANSWERED);
    assertThat(out.get(1).kind()).isEqualTo(TurnOutcome.Kind.ANSWERED);
    assertThat(adder.batches).isEmpty();
  }

  @Test
  void theFinalTurnRunsNoTool() {
    Adder adder = new Adder();
    ToolEnvironment env = env(adder);
    List<TurnOutcome> out =
        env.step(
            new boolean[] {true, true, true},
            new String[] {"<calc> 1+1 </calc>", "<think> a", "<think> b"},
            new FinishReason[] {FinishReason.STOP, FinishReason.LENGTH, FinishReason.EOS},
            true);
    assertThat(adder.batches).isEmpty();
    assertThat(out.get(0).kind()).isEqualTo(TurnOutcome.Kind.OUT_OF_TURNS);
    assertThat(out.get(0).valid()).isTrue();
    assertThat(out.get(1).kind()).isEqualTo(TurnOutcome.Kind.CUT);
    assertThat(out.get(2).kind()).isEqualTo(TurnOutcome.Kind.OUT_OF_TURNS);
    assertThat(out.get(2).valid()).isFalse();
    assertThat(out).allMatch(TurnOutcome::ends);
  }

  @Test
  void observationsAreCutToTheLimit() {
    Tool verbose =
        tool(
            "verbose",
            ToolSpan.sql(),
            calls -> calls.stream().map(c -> " paris".repeat(500)).toList());
    List<TurnOutcome> out = oneStoppedTurn(env(verbose), "<sql> select </sql>");
    assertThat(out.get(0).observation()).hasSize(60);
  }

  @Test
  void aToolThatAnswersTheWrongNumberOfCallsIsRefused() {
    Tool broken = tool("broken", ToolSpan.sql(), calls -> List.of());
    assertThatThrownBy(() -> oneStoppedTurn(env(broken), "<sql> select 1 </sql>"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'broken' returned 0 observations for 1 calls");
  }

  @Test
  void toolsMustHaveUniqueNamesAndTags() {
    assertThatThrownBy(() -> env(new Adder(), new Adder()))
        .hasMessageContaining("two tools are named 'adder'");
    Tool answerLike = tool("x", new ToolSpan("<answer>", "</x>"), calls -> calls);
    assertThatThrownBy(() -> env(answerLike)).hasMessageContaining("reuses a tag");
  }

  @Test
  void stopStringsAreEveryClosingTagThenTheAnswers() {
    ToolEnvironment env = env(new SearchTool(ToolSpan.search(), new TwoPassages(), 1), new Adder());
    assertThat(env.stopStrings()).containsExactly("</search>", "</calc>", "</answer>");
    assertThat(env.spans()).containsExactly(ToolSpan.search(), new ToolSpan("<calc>", "</calc>"));
  }
}
