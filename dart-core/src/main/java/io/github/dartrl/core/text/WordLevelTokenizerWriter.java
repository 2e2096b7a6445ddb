package io.github.dartrl.core.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.IoErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a HuggingFace {@code tokenizer.json} (and a matching {@code tokenizer_config.json}) for a
 * word-level vocabulary, as used by the tiny models of the bundled synthetic world.
 *
 * <p>The tokenizer is {@code Lowercase} (optional) → {@code Whitespace} pre-tokenizer (pieces
 * {@code \w+|[^\w\s]+}, so punctuation is its own token) → {@code WordLevel} model with an unknown
 * token. Ids: special tokens first, in the order given (e.g. {@code <pad>}=0, {@code <unk>}=1,
 * {@code <|endoftext|>}=2), then the tags of {@link Options#tags()}, then the words. Special tokens
 * and tags are added tokens (matched atomically in raw text, case-sensitively); special tokens are
 * written with {@code "special": true}, tags with {@code false}.
 *
 * <p><b>Decoding</b> has no decoder ({@code "decoder": null}): the library joins tokens with one
 * space, e.g. {@code "the capital of france is paris ."}. This was chosen over the {@code
 * WordPiece} decoder after trying both: its cleanup glues punctuation ({@code "paris."}) but also
 * rewrites text and drops any {@code "##"} token, whereas the plain join guarantees {@code
 * encode(decode(ids)) == ids} for every id sequence. The original spacing and case are not
 * recoverable from a word-level tokenizer anyway.
 */
public final class WordLevelTokenizerWriter {
  /** Special tokens of the bundled world: padding, unknown word, end of text. */
  public static final List<String> DEFAULT_SPECIAL_TOKENS =
      List.of("<pad>", "<unk>", "<|endoftext|>");

  /** The unknown-word token of {@link #DEFAULT_SPECIAL_TOKENS}. */
  public static final String DEFAULT_UNK_TOKEN = "<unk>";

  /**
   * The pieces the HF {@code Whitespace} pre-tokenizer produces; Unicode classes as in Rust's
   * {@code regex} crate, which the library uses.
   */
  private static final Pattern PIECE =
      Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

  private WordLevelTokenizerWriter() {}

  /**
   * How to write the tokenizer.
   *
   * @param lowercase add a {@code Lowercase} normalizer (words must then be lower case)
   * @param tags atomic non-special added tokens, e.g. {@link AtomicTokens#SEARCH_R1_TAGS}
   * @param eosToken {@code eos_token} of {@code tokenizer_config.json}: a special token or tag, or
   *     {@code null}
   * @param padToken {@code pad_token} of {@code tokenizer_config.json}, or {@code null}
   * @param modelMaxLength {@code model_max_length} of {@code tokenizer_config.json}
   */
  public record Options(
      boolean lowercase, List<String> tags, String eosToken, String padToken, int modelMaxLength) {
    /** Validates the options and copies the tags. */
    public Options {
      tags = List.copyOf(tags);
      if (modelMaxLength <= 0) {
        throw new IllegalArgumentException("modelMaxLength must be positive: " + modelMaxLength);
      }
    }

    /**
     * Lower case, no tags, {@code eos_token <|endoftext|>}, {@code pad_token <pad>}, {@code
     * model_max_length} 2048.
     */
    public static Options defaults() {
      return new Options(true, List.of(), "<|endoftext|>", "<pad>", 2048);
    }

    /** A copy with {@code lowercase} replaced. */
    public Options withLowercase(boolean lowercase) {
      return new Options(lowercase, tags, eosToken, padToken, modelMaxLength);
    }

    /** A copy with {@code tags} replaced. */
    public Options withTags(List<String> tags) {
      return new Options(lowercase, tags, eosToken, padToken, modelMaxLength);
    }

    /** A copy with {@code eosToken} and {@code padToken} replaced. */
    public Options withEosAndPad(String eosToken, String padToken) {
      return new Options(lowercase, tags, eosToken, padToken, modelMaxLength);
    }

    /** A copy with {@code modelMaxLength} replaced. */
    public Options withModelMaxLength(int modelMaxLength) {
      return new Options(lowercase, tags, eosToken, padToken, modelMaxLength);
    }
  }

  /** {@link #write(Path, List, List, String, Options)} with {@link Options#defaults()}. */
  public static void write(
      Path file, List<String> words, List<String> specialTokens, String unkToken) {
    write(file, words, specialTokens, unkToken, Options.defaults());
  }

  /**
   * Writes {@code file} (a {@code tokenizer.json}) and {@code tokenizer_config.json} beside it,
   * each atomically.
   *
   * @param words the vocabulary, e.g. from {@link #vocabularyFrom}; each must be one pre-tokenizer
   *     piece (lower case when {@code options.lowercase()}), or it could never be produced
   * @param specialTokens special tokens, first in the id order; must contain {@code unkToken}
   * @param unkToken the token unknown words map to
   * @throws IllegalArgumentException naming {@code file} if a token is repeated (within or across
   *     the lists), a word is unreachable, or {@code unkToken}/{@code eosToken}/{@code padToken} is
   *     not one of the special tokens or tags
   */
  public static void write(
      Path file, List<String> words, List<String> specialTokens, String unkToken, Options options) {
    Objects.requireNonNull(options, "options");
    List<String> added = new ArrayList<>(specialTokens);
    added.addAll(options.tags());
    List<String> all = new ArrayList<>(added);
    all.addAll(words);
    check(file, words, specialTokens, added, all, unkToken, options);

    ObjectNode root = TokenizerJson.MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode addedTokens = root.putArray("added_tokens");
    for (int id = 0; id < added.size(); id++) {
      addedTokens.add(TokenizerJson.addedToken(id, added.get(id), id < specialTokens.size()));
    }
    if (options.lowercase()) {
      root.putObject("normalizer").put("type", "Lowercase");
    } else {
      root.putNull("normalizer");
    }
    root.putObject("pre_tokenizer").put("type", "Whitespace");
    root.putNull("post_processor");
    root.putNull("decoder"); // tokens are joined with one space; see the class comment
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    // Added tokens are in the vocabulary too: WordLevel needs its unk token there, and HF then
    // keeps the ids of added tokens as written.
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < all.size(); id++) {
      vocab.put(all.get(id), id);
    }
    model.put("unk_token", unkToken);

    ObjectNode config = TokenizerJson.MAPPER.createObjectNode();
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    config.put("model_max_length", options.modelMaxLength());
    config.putNull("bos_token");
    config.put("eos_token", options.eosToken());
    config.put("pad_token", options.padToken());
    config.put("unk_token", unkToken);
    config.put("clean_up_tokenization_spaces", false);
    ObjectNode decoder = config.putObject("added_tokens_decoder");
    for (int id = 0; id < added.size(); id++) {
      ObjectNode entry = TokenizerJson.addedToken(id, added.get(id), id < specialTokens.size());
      entry.remove("id"); // transformers keys this map by id instead
      decoder.set(Integer.toString(id), entry);
    }
    try {
      var writer = TokenizerJson.MAPPER.writerWithDefaultPrettyPrinter();
      TokenizerJson.writeAtomically(file, writer.writeValueAsBytes(root));
      TokenizerJson.writeAtomically(
          file.resolveSibling(SpecialTokenIds.TOKENIZER_CONFIG), writer.writeValueAsBytes(config));
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write " + file, e);
    }
  }

  private static void check(
      Path file,
      List<String> words,
      List<String> specialTokens,
      List<String> added,
      List<String> all,
      String unkToken,
      Options options) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      String token = all.get(i);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException(file + ": blank token at id " + i);
      }
      Integer seen = first.putIfAbsent(token, i);
      if (seen != null) {
        throw new IllegalArgumentException(
            file + ": duplicate token '" + token + "' (ids " + seen + " and " + i + ")");
      }
    }
    for (String word : words) {
      if (!PIECE.matcher(word).matches()) {
        throw new IllegalArgumentException(
            file + ": word '" + word + "' is not a single \\w+ or [^\\w\\s]+ piece");
      }
      if (options.lowercase() && !word.equals(word.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            file + ": word '" + word + "' is not lower case but the tokenizer lowercases");
      }
    }
    if (!specialTokens.contains(unkToken)) {
      throw new IllegalArgumentException(
          file + ": unk token '" + unkToken + "' is not among the special tokens " + specialTokens);
    }
    for (String token : new String[] {options.eosToken(), options.padToken()}) {
      if (token != null && !added.contains(token)) {
        throw new IllegalArgumentException(
            file + ": '" + token + "' is neither a special token nor a tag: " + added);
      }
    }
  }

  /**
   * {@link #vocabularyFrom(Stream, int, int, boolean)}, lowercasing as {@link Options#defaults()}.
   */
  public static List<String> vocabularyFrom(Stream<String> texts, int minCount, int maxSize) {
    return vocabularyFrom(texts, minCount, maxSize, true);
  }

  /**
   * The words of {@code texts} as the written tokenizer splits them (see {@link #pieces}): those
   * occurring at least {@code minCount} times, most frequent first, ties in {@link
   * String#compareTo} order, at most {@code maxSize}. Deterministic for a given multiset of texts.
   */
  public static List<String> vocabularyFrom(
      Stream<String> texts, int minCount, int maxSize, boolean lowercase) {
    if (minCount < 1 || maxSize < 0) {
      throw new IllegalArgumentException(
          "need minCount >= 1, maxSize >= 0: " + minCount + ", " + maxSize);
    }
    Map<String, long[]> counts = new HashMap<>();
    texts.forEach(
        t -> pieces(t, lowercase).forEach(p -> counts.computeIfAbsent(p, k -> new long[1])[0]++));
    return counts.entrySet().stream()
        .filter(e -> e.getValue()[0] >= minCount)
        .sorted(
            Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey))
        .limit(maxSize)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Splits {@code text} like the written tokenizer's normalizer and pre-tokenizer: optional
   * lowercasing, then maximal runs of word characters or of other non-space characters.
   */
  public static List<String> pieces(String text, boolean lowercase) {
    String normalized = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    List<String> pieces = new ArrayList<>();
    Matcher m = PIECE.matcher(normalized);
    while (m.find()) {
      pieces.add(m.group());
    }
    return pieces;
  }
}
