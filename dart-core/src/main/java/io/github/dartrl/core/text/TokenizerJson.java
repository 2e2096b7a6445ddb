package io.github.dartrl.core.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.OptionalLong;

/**
 * Reads the parts of HF tokenizer files that DJL does not expose (the vocabulary, added tokens,
 * special-token settings) and writes JSON files atomically. Every failure is a {@link
 * TokenizerFormatException} naming the file and the field.
 */
final class TokenizerJson {
  static final ObjectMapper MAPPER = UntrustedJson.newMapper();

  private TokenizerJson() {}

  /** One entry of {@code added_tokens}. */
  record AddedToken(int id, String content, boolean special) {}

  /**
   * The token ↔ id tables of a {@code tokenizer.json}: {@code model.vocab} merged with {@code
   * added_tokens}. {@code tokens[id]} is {@code null} for ids no token uses.
   */
  record Vocabulary(Map<String, Integer> ids, String[] tokens, List<AddedToken> added) {
    /** Max id + 1 over the vocabulary and the added tokens. */
    int size() {
      return tokens.length;
    }

    boolean contains(long id) {
      return id >= 0 && id < tokens.length && tokens[(int) id] != null;
    }

    OptionalLong id(String token) {
      Integer id = ids.get(token);
      return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }
  }

  static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TokenizerFormatException(file, null, "file not found", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses JSON that must be an object at the top level. */
  static JsonNode parse(Path file, byte[] bytes) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw malformed(file, e);
    } catch (CharConversionException e) {
      // Jackson guesses UTF-16/32 from the first bytes and reports bad code units this way, as
      // an IOException that is not a JacksonException: still a malformed file, not an I/O error.
      throw new TokenizerFormatException(file, null, "not JSON text: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (root == null || !root.isObject()) {
      throw new TokenizerFormatException(file, null, "top level is not a JSON object");
    }
    return root;
  }

  private static TokenizerFormatException malformed(Path file, JacksonException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new TokenizerFormatException(
        file, null, "malformed JSON: " + e.getOriginalMessage() + where, e);
  }

  static JsonNode read(Path file) {
    return parse(file, readBytes(file));
  }

  /**
   * Builds the token ↔ id tables from {@code model.vocab} (an object {@code token → id} for BPE,
   * WordLevel and WordPiece; an array of {@code [piece, score]} for Unigram, id = index) and {@code
   * added_tokens}. Streams the file and skips everything else: a tree of Qwen's {@code
   * tokenizer.json} (150k merges) would cost about a second and 100+ MB of garbage.
   */
  static Vocabulary vocabulary(Path file, byte[] bytes) {
    Map<String, Integer> ids = null;
    JsonNode addedTokens = null;
    String modelType = "?";
    String unkToken = null;
    boolean hasModel = false;
    try (JsonParser p = MAPPER.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new TokenizerFormatException(file, null, "top level is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("added_tokens")) {
          addedTokens = p.readValueAsTree();
        } else if (name.equals("model")) {
          if (value != JsonToken.START_OBJECT) {
            throw new TokenizerFormatException(file, "model", "not an object");
          }
          hasModel = true;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken fieldValue = p.nextToken();
            if (field.equals("vocab") && fieldValue == JsonToken.START_OBJECT) {
              ids = vocabObject(file, p);
            } else if (field.equals("vocab") && fieldValue == JsonToken.START_ARRAY) {
              ids = vocabArray(file, p);
            } else if (field.equals("type") && fieldValue == JsonToken.VALUE_STRING) {
              modelType = p.getText();
            } else if (field.equals("unk_token") && fieldValue == JsonToken.VALUE_STRING) {
              unkToken = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new TokenizerFormatException(file, null, "malformed JSON: content after the object");
      }
    } catch (JacksonException e) {
      throw malformed(file, e);
    } catch (CharConversionException e) {
      // Jackson guesses UTF-16/32 from the first bytes and reports bad code units this way, as
      // an IOException that is not a JacksonException: still a malformed file, not an I/O error.
      throw new TokenizerFormatException(file, null, "not JSON text: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!hasModel) {
      throw new TokenizerFormatException(file, "model", "missing");
    }
    if (ids == null) {
      throw new TokenizerFormatException(
          file,
          "model.vocab",
          "missing, or neither an object nor an array (model type "
              + modelType
              + "; only vocabulary-based models are supported)");
    }
    if (unkToken != null && !ids.containsKey(unkToken)) {
      // the native library would fail at the first unknown word, without naming the file
      throw new TokenizerFormatException(
          file,
          "model.unk_token",
          "\""
              + unkToken
              + "\" is not in model.vocab; add it to the vocabulary or set unk_token to one that"
              + " is");
    }
    List<AddedToken> added = addedTokens(file, addedTokens, ids);
    return new Vocabulary(ids, idTable(file, ids), List.copyOf(added));
  }

  private static Map<String, Integer> vocabObject(Path file, JsonParser p) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String token = p.currentName();
      boolean isInt =
          p.nextToken() == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() == JsonParser.NumberType.INT;
      int id = isInt ? p.getIntValue() : -1;
      if (id < 0) { // only now build a node, for the message
        id(file, "model.vocab[\"" + token + "\"]", p.readValueAsTree());
      }
      ids.put(token, id);
    }
    return ids;
  }

  private static Map<String, Integer> vocabArray(Path file, JsonParser p) throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
      JsonNode piece = p.readValueAsTree();
      if (!piece.isArray() || piece.isEmpty() || !piece.get(0).isTextual()) {
        throw new TokenizerFormatException(
            file, "model.vocab[" + i + "]", "expected [piece, score], got " + piece);
      }
      ids.put(piece.get(0).asText(), i);
    }
    return ids;
  }

  private static List<AddedToken> addedTokens(Path file, JsonNode array, Map<String, Integer> ids) {
    List<AddedToken> added = new ArrayList<>();
    if (array == null || array.isNull()) {
      return added;
    }
    if (!array.isArray()) {
      throw new TokenizerFormatException(file, "added_tokens", "not an array");
    }
    for (int i = 0; i < array.size(); i++) {
      String at = "added_tokens[" + i + "]";
      JsonNode token = array.get(i);
      JsonNode content = token.get("content");
      if (content == null || !content.isTextual() || content.asText().isEmpty()) {
        throw new TokenizerFormatException(file, at + ".content", "missing or not a string");
      }
      int id = id(file, at + ".id", token.get("id"));
      JsonNode special = token.get("special");
      if (special != null && !special.isBoolean()) {
        throw new TokenizerFormatException(file, at + ".special", "not a boolean: " + special);
      }
      String text = content.asText();
      Integer known = ids.putIfAbsent(text, id);
      if (known != null && known != id) {
        // The HF library would silently use the vocabulary id; we refuse, so ids never surprise.
        throw new TokenizerFormatException(
            file, at + ".id", "'" + text + "' has id " + id + " here but " + known + " elsewhere");
      }
      added.add(new AddedToken(id, text, special != null && special.asBoolean()));
    }
    return added;
  }

  private static String[] idTable(Path file, Map<String, Integer> ids) {
    int max = -1;
    for (int id : ids.values()) {
      max = Math.max(max, id);
    }
    // Guard the array below against absurd ids (a typo such as 1e9 would allocate gigabytes).
    if (max >= 4L * ids.size() + 1024) {
      throw new TokenizerFormatException(
          file,
          "model.vocab",
          "ids are too sparse: max id " + max + " for " + ids.size() + " tokens");
    }
    String[] tokens = new String[max + 1];
    for (Entry<String, Integer> e : ids.entrySet()) {
      String other = tokens[e.getValue()];
      if (other != null) {
        throw new TokenizerFormatException(
            file,
            "model.vocab",
            "id " + e.getValue() + " is used by both '" + other + "' and '" + e.getKey() + "'");
      }
      tokens[e.getValue()] = e.getKey();
    }
    return tokens;
  }

  private static int id(Path file, String field, JsonNode node) {
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
      throw new TokenizerFormatException(file, field, "expected a non-negative int, got " + node);
    }
    return node.asInt();
  }

  /** Appends one entry to {@code added_tokens}, with the fields and field order HF writes. */
  static ObjectNode addedToken(long id, String content, boolean special) {
    ObjectNode entry = MAPPER.createObjectNode();
    entry.put("id", id);
    entry.put("content", content);
    entry.put("single_word", false);
    entry.put("lstrip", false);
    entry.put("rstrip", false);
    // Match the raw text, before any normalizer (e.g. Lowercase) runs.
    entry.put("normalized", false);
    entry.put("special", special);
    return entry;
  }

  /**
   * Writes {@code bytes} to {@code target} through a temporary file in the same directory and a
   * rename, so readers never see a half-written file.
   */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, out -> out.write(bytes));
  }
}
