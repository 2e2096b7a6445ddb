package io.github.dartrl.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.text.TokenizerJson.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * End-of-sequence and padding ids of a model directory, resolved the way HF generation does: {@code
 * generation_config.json} ids win over {@code tokenizer_config.json} token strings, and padding
 * falls back to the first end-of-sequence id.
 */
record SpecialTokenIds(long[] eos, OptionalLong pad) {
  static final String GENERATION_CONFIG = "generation_config.json";
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  static SpecialTokenIds resolve(Path dir, Vocabulary vocab) {
    Path genFile = dir.resolve(GENERATION_CONFIG);
    Path cfgFile = dir.resolve(TOKENIZER_CONFIG);
    JsonNode gen = Files.exists(genFile) ? TokenizerJson.read(genFile) : null;
    JsonNode cfg = Files.exists(cfgFile) ? TokenizerJson.read(cfgFile) : null;

    long[] eos = new long[0];
    if (present(gen, "eos_token_id")) {
      eos = ids(genFile, "eos_token_id", gen.get("eos_token_id"), vocab);
    } else if (present(cfg, "eos_token")) {
      eos = new long[] {token(cfgFile, "eos_token", cfg.get("eos_token"), vocab)};
    }

    OptionalLong pad = eos.length > 0 ? OptionalLong.of(eos[0]) : OptionalLong.empty();
    if (present(gen, "pad_token_id")) {
      pad = OptionalLong.of(id(genFile, "pad_token_id", gen.get("pad_token_id"), vocab));
    } else if (present(cfg, "pad_token")) {
      pad = OptionalLong.of(token(cfgFile, "pad_token", cfg.get("pad_token"), vocab));
    }
    return new SpecialTokenIds(eos, pad);
  }

  private static boolean present(JsonNode root, String field) {
    return root != null && root.hasNonNull(field);
  }

  /** An int or a list of ints (HF writes both forms for {@code eos_token_id}). */
  private static long[] ids(Path file, String field, JsonNode node, Vocabulary vocab) {
    if (!node.isArray()) {
      return new long[] {id(file, field, node, vocab)};
    }
    long[] ids = new long[node.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = id(file, field + "[" + i + "]", node.get(i), vocab);
    }
    return ids;
  }

  private static long id(Path file, String field, JsonNode node, Vocabulary vocab) {
    if (!node.isIntegralNumber() || !vocab.contains(node.asLong())) {
      throw new TokenizerFormatException(
          file,
          field,
          "expected a token id of tokenizer.json (size " + vocab.size() + "), got " + node);
    }
    return node.asLong();
  }

  /** A token string, or an object {@code {"content": ...}} as transformers writes AddedToken. */
  private static long token(Path file, String field, JsonNode node, Vocabulary vocab) {
    JsonNode content = node.isObject() ? node.get("content") : node;
    String at = node.isObject() ? field + ".content" : field;
    if (content == null || !content.isTextual()) {
      throw new TokenizerFormatException(file, at, "expected a token string, got " + node);
    }
    return vocab
        .id(content.asText())
        .orElseThrow(
            () ->
                new TokenizerFormatException(
                    file,
                    at,
                    "'"
                        + content.asText()
                        + "' is neither in tokenizer.json's model.vocab nor in its added_tokens"));
  }
}
