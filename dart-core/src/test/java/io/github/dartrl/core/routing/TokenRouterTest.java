package io.github.dartrl.core.routing;

import static io.github.dartrl.core.routing.TokenRole.REASONING;
import static io.github.dartrl.core.routing.TokenRole.TOOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.text.Detokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TokenRouterTest {
  /** A toy vocabulary where the tags are split into pieces, plus atomic tag tokens. */
  static final String[] PIECES = {
    "<sea", "rch>", "</sea", "who", " is", " x", "<search>", "</search>", "<", "sql>", "</"
  };

  static final Detokenizer DETOK =
      ids -> Arrays.stream(ids).mapToObj(i -> PIECES[(int) i]).collect(Collectors.joining());

  final TokenRouter router = new TokenRouter(List.of(ToolSpan.search()), DETOK);

  @Test
  void splitOpenTagIsReasoningQueryAndCloseAreTool() {
    // "who<search> is x</search> x"
    long[] ids = {3, 0, 1, 4, 5, 2, 1, 5};
    assertThat(router.roles(ids))
        .containsExactly(REASONING, REASONING, REASONING, TOOL, TOOL, TOOL, TOOL, REASONING);
  }

  @Test
  void atomicTagsRouteTheSameAsSplitOnes() {
    long[] ids = {3, 6, 4, 5, 7, 5};
    assertThat(router.roles(ids))
        .containsExactly(REASONING, REASONING, TOOL, TOOL, TOOL, REASONING);
  }

  @Test
  void givenTextNeverOpensASpan() {
    TokenRouter.State s = router.newState();
    router.roles(s, new long[] {0}); // "<sea" sampled
    s.given(); // an observation arrives: "<sea" + "rch>" must not join across it
    assertThat(router.roles(s, new long[] {1, 4})).containsExactly(REASONING, REASONING);
  }

  @Test
  void givenTextClosesASpanTheTurnLeftOpen() {
    // "<search> is" then the turn ends (token limit); the environment answers; the model goes on
    TokenRouter.State t = router.newState();
    assertThat(router.roles(t, new long[] {6, 4})).containsExactly(REASONING, TOOL);
    assertThat(t.openSpan()).isZero();
    t.given();
    assertThat(t.openSpan()).isEqualTo(-1);
    assertThat(router.roles(t, new long[] {3, 4, 6, 5, 7, 5}))
        .containsExactly(REASONING, REASONING, REASONING, TOOL, TOOL, REASONING);
    // split tags too: "<sea" "rch>" "who" | given | "who" "</sea" "rch>" stays reasoning
    TokenRouter.State u = router.newState();
    router.roles(u, new long[] {0, 1, 3});
    u.given();
    assertThat(router.roles(u, new long[] {3, 2, 1})).containsOnly(REASONING);
  }

  @Test
  void incrementalAndBatchFormsAgreeOnRandomSequences() {
    TokenRouter two =
        new TokenRouter(List.of(ToolSpan.search(), new ToolSpan("<sql>", "</sql>")), DETOK);
    Random rng = new Random(1);
    for (int trial = 0; trial < 200; trial++) {
      long[] ids = rng.longs(40, 0, PIECES.length).toArray();
      TokenRole[] batch = two.roles(ids);
      TokenRouter.State s = two.newState();
      for (int i = 0; i < ids.length; i++) {
        assertThat(s.nextRole()).as("trial %d token %d", trial, i).isEqualTo(batch[i]);
        s.sampled(ids[i]);
      }
      // and the batch form agrees with a from-scratch rule on the decoded prefix
      for (int i = 0; i < ids.length; i++) {
        String prefix = DETOK.decode(Arrays.copyOf(ids, i));
        assertThat(batch[i]).isEqualTo(insideByRule(prefix) ? TOOL : REASONING);
      }
    }
  }

  /**
   * Independent statement of the rule, scanning character by character: at each position, a tag
   * that starts here (the earliest one wins) toggles the state.
   */
  private static boolean insideByRule(String prefix) {
    String[][] spans = {{"<search>", "</search>"}, {"<sql>", "</sql>"}};
    String close = null;
    int i = 0;
    while (i < prefix.length()) {
      if (close == null) {
        String matched = null;
        for (String[] sp : spans) {
          if (prefix.startsWith(sp[0], i)) {
            matched = sp[1];
            i += sp[0].length();
            break;
          }
        }
        if (matched != null) {
          close = matched;
          continue;
        }
      } else if (prefix.startsWith(close, i)) {
        i += close.length();
        close = null;
        continue;
      }
      i++;
    }
    return close != null;
  }

  @Test
  void badSpanConfigsAreRejected() {
    assertThatThrownBy(() -> new ToolSpan("", "</search>")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> new ToolSpan("<t>", "<t>")).hasMessageContaining("must differ");
    assertThatThrownBy(() -> new ToolSpan("<t>", null)).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> new TokenRouter(List.of(), DETOK))
        .hasMessageContaining("at least one");
  }

  @Test
  void roleMapShiftsRolesByOnePosition() {
    RoleAdapterMap dart = RoleAdapterMap.split(0, 1);
    int[] roles = {
      TokenRole.PROMPT.code(),
      REASONING.code(),
      TOOL.code(),
      TOOL.code(),
      TokenRole.OBSERVATION.code(),
      REASONING.code()
    };
    assertThat(dart.adapterAt(roles)).containsExactly(0, 1, 1, 0, 0, 0);
    assertThatThrownBy(() -> RoleAdapterMap.of(java.util.Map.of(TOOL, 1)))
        .hasMessageContaining("no entry for");
  }
}
