package io.github.dartrl.core.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.github.dartrl.core.text.TokenizerJson.AddedToken;
import io.github.dartrl.core.text.TokenizerJson.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A HuggingFace {@code tokenizer.json} tokenizer (DJL's Rust-backed {@link HuggingFaceTokenizer})
 * configured for RL trajectories: <b>no truncation, no padding and no added special tokens</b> (DJL
 * would otherwise cut every text to 512 tokens and let the post-processor insert BOS/EOS). What you
 * encode is exactly what the model sees.
 *
 * <p>Added tokens ({@code <|im_end|>}, {@code <think>}, tags added by {@link AtomicTokens}) that
 * occur in the text are matched atomically, so text from untrusted sources can contain control
 * tokens; escape it upstream if that matters. Decoding keeps special tokens.
 *
 * <p>DJL has no token → id API, so {@code tokenizer.json} is also read with Jackson once at load:
 * {@link #tokenId}, {@link #tokenString} and {@link #vocabSize} come from {@code model.vocab} and
 * {@code added_tokens}, and the native tokenizer is checked to assign every added token the id the
 * file declares. End-of-sequence and padding ids come from {@code generation_config.json} or {@code
 * tokenizer_config.json} (see {@link #eosTokenIds()}).
 *
 * <p><b>Thread safety.</b> After {@link #load} the instance is immutable: the Rust tokenizer is
 * shared read-only and every call builds its own encoding, so {@code encode}/{@code decode} may run
 * concurrently from several threads. {@link #close()} frees the native tokenizer and must
 * happen-after every other call.
 *
 * <p>DJL extracts its bundled native library on first use (no download on a CPU platform; set
 * {@code RUST_FLAVOR=cpu} or {@code DJL_OFFLINE=true} on CUDA machines) and sends a usage ping from
 * EC2 hosts on every tokenizer creation unless {@code OPT_OUT_TRACKING=true} or {@code
 * -Doffline=true}; this class leaves those global settings to the application.
 */
public final class TextTokenizer implements AutoCloseable, Detokenizer {
  /** File name of the tokenizer inside a model directory. */
  public static final String TOKENIZER_JSON = "tokenizer.json";

  /** DJL options: never truncate, pad or add special tokens. */
  static final Map<String, String> OPTIONS =
      Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");

  private final HuggingFaceTokenizer hf;
  private final Vocabulary vocab;
  private final SpecialTokenIds special;
  private final Set<String> specialTokens;
  private final List<String> addedTokens;

  private TextTokenizer(HuggingFaceTokenizer hf, Vocabulary vocab, SpecialTokenIds special) {
    this.hf = hf;
    this.vocab = vocab;
    this.special = special;
    Set<String> specials = new LinkedHashSet<>();
    vocab.added().stream().filter(AddedToken::special).forEach(t -> specials.add(t.content()));
    this.specialTokens = Collections.unmodifiableSet(specials);
    this.addedTokens = vocab.added().stream().map(AddedToken::content).toList();
  }

  /**
   * Loads {@code tokenizer.json} and, when present, {@code tokenizer_config.json} and {@code
   * generation_config.json} from a model directory. Nothing is downloaded.
   *
   * @param modelDir the model directory, or the {@code tokenizer.json} file itself (the config
   *     files are then looked up beside it)
   * @throws TokenizerFormatException if a file is missing (only {@code tokenizer.json} is
   *     required), is not JSON, has an unusable field, or is rejected by the native library
   */
  public static TextTokenizer load(Path modelDir) {
    Path file = Files.isRegularFile(modelDir) ? modelDir : modelDir.resolve(TOKENIZER_JSON);
    Path dir = file.toAbsolutePath().getParent();
    byte[] bytes = TokenizerJson.readBytes(file);
    Vocabulary vocab = TokenizerJson.vocabulary(file, bytes);
    SpecialTokenIds special = SpecialTokenIds.resolve(dir, vocab);
    HuggingFaceTokenizer hf;
    try {
      hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
    } catch (IOException | RuntimeException e) {
      throw new TokenizerFormatException(
          file, null, "rejected by the HuggingFace tokenizers library: " + e.getMessage(), e);
    }
    TextTokenizer tokenizer = new TextTokenizer(hf, vocab, special);
    try {
      tokenizer.checkAddedTokenIds(file);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    return tokenizer;
  }

  /**
   * The HF library ignores the ids written in {@code added_tokens} and numbers added tokens that
   * are not in the model vocabulary consecutively from the vocabulary size. A file whose ids
   * disagree would make {@link #tokenId} lie, so refuse it.
   */
  private void checkAddedTokenIds(Path file) {
    for (int i = 0; i < vocab.added().size(); i++) {
      AddedToken token = vocab.added().get(i);
      long[] ids = encode(token.content());
      if (ids.length == 1 && ids[0] != token.id()) {
        throw new TokenizerFormatException(
            file,
            "added_tokens[" + i + "].id",
            "'"
                + token.content()
                + "' is declared as id "
                + token.id()
                + " but the tokenizer assigns "
                + ids[0]
                + " (added ids must continue the vocabulary without gaps)");
      }
    }
  }

  /** Token ids of {@code text}, with no special tokens added, never truncated. */
  public long[] encode(String text) {
    Objects.requireNonNull(text, "text");
    return hf.encode(text, false, false).getIds();
  }

  /**
   * Token ids of {@code text} with the span of {@code text} each token came from: token {@code i}
   * covers {@code text.substring(charStart[i], charEnd[i])}. Offsets are Java {@code char} indices
   * (UTF-16); DJL reports Unicode code-point indices, which are converted here. A character that
   * byte-level BPE splits over several tokens gives each of them that character's span, so spans
   * may repeat but never go backwards.
   */
  public Encoded encodeWithOffsets(String text) {
    Objects.requireNonNull(text, "text");
    Encoding encoding = hf.encode(text, false, false);
    long[] ids = encoding.getIds();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] start = new int[ids.length];
    int[] end = new int[ids.length];
    int[] charIndex = codePointToCharIndex(text);
    int previous = 0;
    for (int i = 0; i < ids.length; i++) {
      // DJL leaves a span null for tokens without a source (none without added special tokens).
      CharSpan span = spans[i];
      start[i] = span == null ? previous : charIndex[span.getStart()];
      end[i] = span == null ? previous : charIndex[span.getEnd()];
      previous = end[i];
    }
    return new Encoded(ids, start, end);
  }

  /** Maps code-point offsets to {@code char} offsets; the identity when there are no surrogates. */
  private static int[] codePointToCharIndex(String text) {
    int codePoints = text.codePointCount(0, text.length());
    int[] index = new int[codePoints + 1];
    int c = 0;
    for (int cp = 0; cp < codePoints; cp++) {
      index[cp] = c;
      c += Character.charCount(text.codePointAt(c));
    }
    index[codePoints] = c;
    return index;
  }

  /**
   * Text of {@code ids}, keeping special tokens.
   *
   * @throws IllegalArgumentException if an id is not in the vocabulary (the native library would
   *     silently drop it)
   */
  public String decode(long[] ids) {
    return decode(ids, 0, ids.length);
  }

  /**
   * Text of {@code ids[from, to)}, keeping special tokens.
   *
   * @throws IndexOutOfBoundsException if the range is outside {@code ids}
   * @throws IllegalArgumentException if an id is not in the vocabulary
   */
  public String decode(long[] ids, int from, int to) {
    Objects.checkFromToIndex(from, to, ids.length);
    for (int i = from; i < to; i++) {
      if (!vocab.contains(ids[i])) {
        throw new IllegalArgumentException(
            "token id " + ids[i] + " at index " + i + " is not in the vocabulary");
      }
    }
    long[] range = from == 0 && to == ids.length ? ids : Arrays.copyOfRange(ids, from, to);
    return hf.decode(range, false);
  }

  /**
   * Decoded text of one token. With byte-level BPE a token may hold part of a UTF-8 character,
   * which decodes to U+FFFD; decode whole spans when the exact text matters.
   */
  public String tokenText(long id) {
    return decode(new long[] {id});
  }

  /**
   * Exact id of a token string as it is written in {@code tokenizer.json} ({@code model.vocab} or
   * {@code added_tokens}). For byte-level BPE vocabulary entries are byte-level encoded (a leading
   * space is {@code "Ġ"}: {@code tokenId("Ġthe")}, not {@code tokenId(" the")}); added tokens such
   * as {@code <|im_end|>} are plain text.
   */
  public OptionalLong tokenId(String token) {
    return vocab.id(token);
  }

  /** Inverse of {@link #tokenId}: the token string as written in {@code tokenizer.json}. */
  public Optional<String> tokenString(long id) {
    return vocab.contains(id) ? Optional.of(vocab.tokens()[(int) id]) : Optional.empty();
  }

  /**
   * Max id + 1 over {@code model.vocab} and {@code added_tokens}. A model's embedding may have more
   * rows than this (Qwen pads its vocabulary to a multiple of 128), never fewer.
   */
  public int vocabSize() {
    return vocab.size();
  }

  /**
   * End-of-sequence ids: {@code eos_token_id} of {@code generation_config.json} (an int or a list),
   * else {@code eos_token} of {@code tokenizer_config.json} (a string or {@code {"content": ...}}),
   * else none. Returns a copy.
   */
  public long[] eosTokenIds() {
    return special.eos().clone();
  }

  /**
   * Padding id: {@code pad_token_id} of {@code generation_config.json}, else {@code pad_token} of
   * {@code tokenizer_config.json}, else the first end-of-sequence id, else empty.
   */
  public OptionalLong padTokenId() {
    return special.pad();
  }

  /** Added tokens marked {@code "special": true}, in file order. */
  public Set<String> specialTokens() {
    return specialTokens;
  }

  /** All added tokens (special or not), in file order. */
  public List<String> addedTokens() {
    return addedTokens;
  }

  /** Frees the native tokenizer. Idempotent. */
  @Override
  public void close() {
    hf.close();
  }

  /**
   * Ids of an encoded text with the {@code [charStart, charEnd)} span of the text each token came
   * from. Arrays are shared, not copied.
   */
  public record Encoded(long[] ids, int[] charStart, int[] charEnd) {
    /** Checks that the three arrays have one entry per token. */
    public Encoded {
      if (charStart.length != ids.length || charEnd.length != ids.length) {
        throw new IllegalArgumentException(
            "lengths differ: ids "
                + ids.length
                + ", starts "
                + charStart.length
                + ", ends "
                + charEnd.length);
      }
    }

    /** Number of tokens. */
    public int size() {
      return ids.length;
    }
  }
}
