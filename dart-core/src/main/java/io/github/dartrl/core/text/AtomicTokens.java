package io.github.dartrl.core.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.IoErrors;
import io.github.dartrl.core.text.TokenizerJson.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes tags such as {@code <search>} atomic: adds them to the {@code added_tokens} of a {@code
 * tokenizer.json}, so each encodes to one id instead of several BPE pieces ({@code <}, {@code
 * search}, {@code >} in Qwen's tokenizer).
 *
 * <p>Tokens already in {@code added_tokens} keep their ids; tokens already in {@code model.vocab}
 * become added tokens with their vocabulary id; the others get fresh ids after the current max id,
 * in the order given. Fresh ids need new embedding (and LM head) rows, which the model code
 * initialises, e.g. from the embedding of a proxy word; {@link AddedTokens#newTokens()} lists them.
 * New tokens are written with {@code "special": false} (like Qwen's {@code <tool_call>}), so
 * decoding with special tokens skipped still shows the tags, and {@code "normalized": false}, so
 * they match the raw text case-sensitively.
 */
public final class AtomicTokens {
  /** The tags of the Search-R1 protocol. */
  public static final List<String> SEARCH_R1_TAGS =
      List.of(
          "<think>",
          "</think>",
          "<search>",
          "</search>",
          "<information>",
          "</information>",
          "<answer>",
          "</answer>");

  private AtomicTokens() {}

  /**
   * The outcome of {@link #addTo}.
   *
   * @param ids every requested token → its id, in request order
   * @param newTokens the requested tokens that received a fresh id (need new embedding rows)
   * @param vocabSize max id + 1 of the written tokenizer
   */
  public record AddedTokens(Map<String, Long> ids, List<String> newTokens, int vocabSize) {
    /** Copies the collections (the map keeps its order). */
    public AddedTokens {
      ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids));
      newTokens = List.copyOf(newTokens);
    }

    /**
     * The id of a requested token.
     *
     * @throws IllegalArgumentException if the token was not requested
     */
    public long id(String token) {
      Long id = ids.get(token);
      if (id == null) {
        throw new IllegalArgumentException("'" + token + "' was not requested");
      }
      return id;
    }
  }

  /**
   * Reads {@code tokenizerJsonIn}, adds {@code tokens} as atomic added tokens and writes the result
   * to {@code tokenizerJsonOut} (atomically, via a temporary file and a rename; {@code in} and
   * {@code out} may be the same file). Everything else is copied unchanged in content and field
   * order, though not byte-for-byte: the output is compact JSON.
   *
   * @throws TokenizerFormatException if the input is missing or malformed
   * @throws IllegalArgumentException if a token is empty, blank or repeated, or would not encode to
   *     its id alone and decode back to itself (checked on the native tokenizer before writing)
   */
  public static AddedTokens addTo(
      Path tokenizerJsonIn, Path tokenizerJsonOut, List<String> tokens) {
    Objects.requireNonNull(tokenizerJsonOut, "tokenizerJsonOut");
    checkTokens(tokens);
    byte[] bytes = TokenizerJson.readBytes(tokenizerJsonIn);
    Vocabulary vocab = TokenizerJson.vocabulary(tokenizerJsonIn, bytes);
    checkContiguous(tokenizerJsonIn, vocab);

    Set<String> alreadyAdded = new HashSet<>();
    vocab.added().forEach(t -> alreadyAdded.add(t.content()));
    Map<String, Long> ids = new LinkedHashMap<>();
    List<ObjectNode> entries = new ArrayList<>();
    List<String> fresh = new ArrayList<>();
    long next = vocab.size();
    for (String token : tokens) {
      long id;
      if (alreadyAdded.contains(token)) {
        id = vocab.id(token).getAsLong();
      } else {
        id = vocab.id(token).orElse(next);
        if (id == next) {
          next++;
          fresh.add(token);
        }
        entries.add(TokenizerJson.addedToken(id, token, false));
      }
      ids.put(token, id);
    }
    try {
      byte[] out = appendAddedTokens(bytes, entries);
      verify(tokenizerJsonIn, out, ids);
      TokenizerJson.writeAtomically(tokenizerJsonOut, out);
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write " + tokenizerJsonOut, e);
    }
    return new AddedTokens(ids, fresh, (int) next);
  }

  /**
   * Copies the JSON token by token, appending {@code entries} to {@code added_tokens} (created at
   * the end if absent). Streaming keeps field order and avoids a tree of the whole file (Qwen's has
   * 150k merges).
   */
  private static byte[] appendAddedTokens(byte[] json, List<ObjectNode> entries)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 4096);
    try (JsonParser p = TokenizerJson.MAPPER.createParser(json);
        JsonGenerator g = TokenizerJson.MAPPER.createGenerator(out)) {
      p.nextToken(); // the top-level object, checked by TokenizerJson.vocabulary
      g.writeStartObject();
      boolean appended = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        g.writeFieldName(name);
        if (name.equals("added_tokens") && value != JsonToken.VALUE_NULL) {
          g.writeStartArray();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            g.copyCurrentStructure(p);
          }
          writeAll(g, entries);
          appended = true;
        } else if (name.equals("added_tokens")) {
          g.writeStartArray();
          writeAll(g, entries);
          appended = true;
        } else {
          g.copyCurrentStructure(p);
        }
      }
      if (!appended) {
        g.writeFieldName("added_tokens");
        g.writeStartArray();
        writeAll(g, entries);
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void writeAll(JsonGenerator g, List<ObjectNode> entries) throws IOException {
    for (ObjectNode entry : entries) {
      g.writeTree(entry);
    }
    g.writeEndArray();
  }

  /**
   * Loads the new tokenizer natively and checks that each token encodes to its id alone and decodes
   * back to itself. The second check is not a formality: byte-level BPE decoders map every
   * character of a token through the byte alphabet, so a non-ASCII tag such as {@code <résumé>}
   * would decode to {@code <r�sum�>}.
   */
  private static void verify(Path in, byte[] json, Map<String, Long> ids) throws IOException {
    try (HuggingFaceTokenizer hf =
        HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), TextTokenizer.OPTIONS)) {
      for (Map.Entry<String, Long> e : ids.entrySet()) {
        long[] encoded = hf.encode(e.getKey(), false, false).getIds();
        String decoded = hf.decode(new long[] {e.getValue()}, false);
        if (encoded.length != 1 || encoded[0] != e.getValue() || !decoded.equals(e.getKey())) {
          throw new IllegalArgumentException(
              in
                  + ": token '"
                  + e.getKey()
                  + "' (id "
                  + e.getValue()
                  + ") would encode to "
                  + Arrays.toString(encoded)
                  + " and decode to '"
                  + decoded
                  + "' with this tokenizer");
        }
      }
    }
  }

  private static void checkTokens(List<String> tokens) {
    Set<String> seen = new HashSet<>();
    for (String token : tokens) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("tokens must be non-blank, got " + tokens);
      }
      if (!seen.add(token)) {
        throw new IllegalArgumentException("token '" + token + "' is repeated in " + tokens);
      }
    }
  }

  /**
   * The HF library numbers added tokens from the vocabulary size, ignoring the ids in the file, so
   * "max id + 1" is the id it will assign only if ids have no gaps.
   */
  private static void checkContiguous(Path file, Vocabulary vocab) {
    for (int id = 0; id < vocab.size(); id++) {
      if (vocab.tokens()[id] == null) {
        throw new TokenizerFormatException(
            file,
            "model.vocab",
            "no token has id " + id + "; ids must be contiguous to add tokens");
      }
    }
  }
}
