package io.github.dartrl.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.text.TestTokenizers;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router on Qwen3's real byte-level BPE, where {@code <search>} is split into the pieces {@code
 * <}, {@code search}, {@code >} and {@code </search>} into {@code </}, {@code search}, {@code >}.
 */
class RealTokenizerRoutingTest {

  @Test
  void splitTagsRouteByTheRule(@TempDir Path tmp) {
    try (TextTokenizer tok = TextTokenizer.load(TestTokenizers.qwen3(tmp))) {
      String text =
          "<think> I need the capital. </think>\n<search> capital of France </search>\n"
              + "<answer> Paris </answer>";
      TextTokenizer.Encoded enc = tok.encodeWithOffsets(text);
      long[] ids = enc.ids();
      TokenRouter router = new TokenRouter(List.of(ToolSpan.search()), tok);
      TokenRole[] roles = router.roles(ids);
      int openEnd = text.indexOf("<search>") + "<search>".length();
      int closeEnd = text.indexOf("</search>") + "</search>".length();
      List<String> toolPieces = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        // a token is TOOL iff the text before it is inside the span: after "<search>" completed and
        // before "</search>" completed
        boolean inside = enc.charStart()[i] >= openEnd && enc.charStart()[i] < closeEnd;
        assertThat(roles[i])
            .as("token %d %s", i, tok.tokenText(ids[i]))
            .isEqualTo(inside ? TokenRole.TOOL : TokenRole.REASONING);
        if (roles[i] == TokenRole.TOOL) {
          toolPieces.add(tok.tokenText(ids[i]));
        }
      }
      // the opening tag's pieces are reasoning; the query and every piece of the closing tag are
      // tool
      assertThat(String.join("", toolPieces)).isEqualTo(" capital of France </search>\n");
      assertThat(toolPieces).contains(" </", "search");
    }
  }

  @Test
  void atomicTagsAddedToTheTokenizerRouteIdentically(@TempDir Path tmp) throws Exception {
    Path dir = TestTokenizers.qwen3(tmp.resolve("a"));
    Path out = tmp.resolve("b");
    java.nio.file.Files.createDirectories(out);
    io.github.dartrl.core.text.AtomicTokens.addTo(
        dir.resolve("tokenizer.json"),
        out.resolve("tokenizer.json"),
        List.of("<search>", "</search>"));
    java.nio.file.Files.copy(
        dir.resolve("tokenizer_config.json"), out.resolve("tokenizer_config.json"));
    String text = "hmm <search> capital of France </search> so";
    try (TextTokenizer split = TextTokenizer.load(dir);
        TextTokenizer atomic = TextTokenizer.load(out)) {
      long[] a = atomic.encode(text);
      assertThat(a.length).isLessThan(split.encode(text).length);
      TokenRole[] roles = new TokenRouter(List.of(ToolSpan.search()), atomic).roles(a);
      StringBuilder tool = new StringBuilder();
      for (int i = 0; i < a.length; i++) {
        if (roles[i] == TokenRole.TOOL) {
          tool.append(atomic.tokenText(a[i]));
        }
      }
      assertThat(tool.toString()).isEqualTo(" capital of France </search>");
      long open = atomic.tokenId("<search>").orElseThrow();
      int at = 0;
      while (a[at] != open) {
        at++;
      }
      assertThat(roles[at]).isEqualTo(TokenRole.REASONING);
      assertThat(roles[at + 1]).isEqualTo(TokenRole.TOOL);
    }
  }
}
