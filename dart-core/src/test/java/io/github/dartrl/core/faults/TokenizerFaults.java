package io.github.dartrl.core.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.TokenizerFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Bad {@code tokenizer.json} files, loaded by TextTokenizer. */
final class TokenizerFaults {
  private TokenizerFaults() {}

  private static final Class<TokenizerFormatException> TFE = TokenizerFormatException.class;

  private static Object load(Workspace w) throws Exception {
    return w.closeLater(TextTokenizer.load(w.path("tok")));
  }

  /** Copies the fixture's tokenizer.json to {@code tok/} and returns it. */
  private static Path copy(Workspace w) throws Exception {
    Path target = w.path("tok/tokenizer.json");
    Files.createDirectories(target.getParent());
    Files.copy(w.model().resolve("tokenizer.json"), target);
    return target;
  }

  static List<FaultCase> cases() {
    Category t = Category.TOKENIZER;
    return List.of(
        of(
            "tokenizer-missing",
            t,
            "directory without tokenizer.json",
            w -> Files.createDirectories(w.path("tok")),
            TokenizerFaults::load,
            throwsA(TFE, "tok/tokenizer.json", "file not found")),
        of(
            "tokenizer-truncated",
            t,
            "tokenizer.json cut to its first 300 bytes",
            w -> {
              Path f = copy(w);
              byte[] all = Files.readAllBytes(f);
              Files.write(f, java.util.Arrays.copyOf(all, 300));
            },
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "malformed JSON", "at line")),
        of(
            "tokenizer-not-an-object",
            t,
            "tokenizer.json holding a JSON array",
            w -> w.write("tok/tokenizer.json", "[1, 2, 3]"),
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "top level is not a JSON object")),
        of(
            "tokenizer-model-missing",
            t,
            "tokenizer.json without \"model\"",
            w -> w.editJson(copy(w), n -> n.remove("model")),
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "field 'model'", "missing")),
        of(
            "tokenizer-negative-id",
            t,
            "model.vocab[\"paris\"] = -3",
            w -> w.editJson(copy(w), n -> n.with("model").with("vocab").put("paris", -3)),
            TokenizerFaults::load,
            throwsA(
                TFE,
                "tokenizer.json",
                "field 'model.vocab[\"paris\"]'",
                "expected a non-negative")),
        of(
            "tokenizer-duplicate-id",
            t,
            "two vocabulary entries with the same id",
            w ->
                w.editJson(
                    copy(w),
                    n -> {
                      var vocab = n.with("model").with("vocab");
                      vocab.put("paris", vocab.get("france").asInt());
                    }),
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "field 'model.vocab'", "is used by both")),
        of(
            "tokenizer-sparse-ids",
            t,
            "model.vocab[\"paris\"] = 1000000 in a vocabulary of ~30",
            w -> w.editJson(copy(w), n -> n.with("model").with("vocab").put("paris", 1_000_000)),
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "field 'model.vocab'", "ids are too sparse")),
        of(
            "tokenizer-added-token-without-content",
            t,
            "added_tokens[0] without \"content\"",
            w ->
                w.editJson(
                    copy(w),
                    n ->
                        ((com.fasterxml.jackson.databind.node.ObjectNode)
                                n.get("added_tokens").get(0))
                            .remove("content")),
            TokenizerFaults::load,
            throwsA(TFE, "tokenizer.json", "field 'added_tokens[0].content'", "missing")));
  }
}
