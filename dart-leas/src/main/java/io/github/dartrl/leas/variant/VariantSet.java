package io.github.dartrl.leas.variant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The four trained (or given) weight sets of CEA — Base, Reas, Tool, Unified — and the six variants
 * built from them: the four models, and the hybrids H_Tool (Base reasons, Tool writes the queries)
 * and H_Reas (Reas reasons, Base writes the queries).
 *
 * <p>{@link #load} reads a base model directory and, for each of Reas, Tool and Unified, either a
 * single-LoRA adapter directory written by dart4j (trained on that base, e.g. with role-masked
 * GRPO) or a full HF model directory. Adapter directories are loaded into <em>one</em> adapter
 * stack on the shared frozen backbone, so the base weights exist once and each variant is just an
 * adapter index (-1 for Base).
 */
public final class VariantSet implements AutoCloseable {
  private final Generator base;
  private final Generator reas;
  private final Generator tool;
  private final Generator unified;
  private final TextTokenizer tokenizer;
  private final List<ToolSpan> spans;
  private final List<AutoCloseable> owned;

  private VariantSet(
      Generator base,
      Generator reas,
      Generator tool,
      Generator unified,
      TextTokenizer tokenizer,
      List<ToolSpan> spans,
      List<AutoCloseable> owned) {
    this.base = base;
    this.reas = reas;
    this.tool = tool;
    this.unified = unified;
    this.tokenizer = tokenizer;
    this.spans = List.copyOf(spans);
    this.owned = owned;
  }

  /**
   * Variants over generators the caller owns (closing the set frees nothing).
   *
   * @param spans the tool-call spans of the router
   */
  public static VariantSet of(
      Generator base,
      Generator reas,
      Generator tool,
      Generator unified,
      TextTokenizer tokenizer,
      List<ToolSpan> spans) {
    return new VariantSet(
        Objects.requireNonNull(base, "base"),
        Objects.requireNonNull(reas, "reas"),
        Objects.requireNonNull(tool, "tool"),
        Objects.requireNonNull(unified, "unified"),
        Objects.requireNonNull(tokenizer, "tokenizer"),
        spans,
        List.of());
  }

  /**
   * Loads the variants.
   *
   * @param baseDir HF model directory of the base model (its tokenizer serves every variant)
   * @param reasDir Reas: adapter directory (dart.json, one LORA adapter) or HF model directory
   * @param toolDir Tool: likewise
   * @param unifiedDir Unified: likewise
   * @throws IllegalArgumentException naming the variant and directory when a directory is missing,
   *     of the wrong kind, or does not fit the base model (shapes, layers, tokenizer)
   */
  public static VariantSet load(
      Path baseDir, Path reasDir, Path toolDir, Path unifiedDir, NDManager root) {
    checkModelDir("Base", baseDir);
    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("Reas", reasDir);
    dirs.put("Tool", toolDir);
    dirs.put("Unified", unifiedDir);
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      Path d = e.getValue();
      if (d == null || !Files.isDirectory(d)) {
        throw new IllegalArgumentException(e.getKey() + " directory not found: " + d);
      }
      if (!isAdapterDir(d)) {
        checkModelDir(e.getKey(), d);
      }
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      DecoderModel baseModel = HfCheckpoint.load(baseDir, root);
      owned.add(baseModel);
      TextTokenizer tok = TextTokenizer.load(baseDir);
      owned.add(0, tok);
      List<String> stacked = new ArrayList<>();
      List<LoraConfig> configs = new ArrayList<>();
      List<Map<String, NDArray[]>> weights = new ArrayList<>();
      List<ToolSpan> spans = null;
      String spansFrom = null;
      NDManager staging = baseModel.manager().newSubManager();
      try {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
          if (!isAdapterDir(e.getValue())) {
            continue;
          }
          Policy p;
          try {
            p = PolicyCheckpoint.load(baseModel, e.getValue(), tok);
          } catch (RuntimeException ex) {
            throw new IllegalArgumentException(
                e.getKey()
                    + " adapters in "
                    + e.getValue()
                    + " do not fit the base model "
                    + baseDir
                    + ": "
                    + ex.getMessage(),
                ex);
          }
          try (p) {
            if (p.method() != Method.LORA) {
              throw new IllegalArgumentException(
                  e.getKey()
                      + " adapters in "
                      + e.getValue()
                      + " are "
                      + p.method()
                      + "; a CEA variant is one model, i.e. a single LORA adapter (train it with"
                      + " method LORA and trainRoles restricted to the variant's role)");
            }
            if (spans == null) {
              spans = p.config().spans();
              spansFrom = e.getKey();
            } else if (!spans.equals(p.config().spans())) {
              throw new IllegalArgumentException(
                  e.getKey()
                      + " routes tool spans "
                      + p.config().spans()
                      + " but "
                      + spansFrom
                      + " routes "
                      + spans
                      + "; all variants must share one router");
            }
            LoraConfig c = p.adapters().configs().get(0);
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            configs.add(new LoraConfig(name, c.rank(), c.alpha(), c.rsLora(), c.targetModules()));
            weights.add(p.adapters().weightsOf(0, staging));
            stacked.add(e.getKey());
          }
        }
        if (!configs.isEmpty()) {
          LoraAdapters stack = LoraAdapters.attach(baseModel, configs, 0);
          owned.add(0, stack);
          for (int i = 0; i < configs.size(); i++) {
            for (Map.Entry<String, NDArray[]> w : weights.get(i).entrySet()) {
              stack.setWeights(i, w.getKey(), w.getValue()[0], w.getValue()[1]);
            }
          }
          baseModel.setBackboneTrainable(false);
        }
      } finally {
        staging.close();
      }
      Map<String, Generator> gens = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : dirs.entrySet()) {
        int idx = stacked.indexOf(e.getKey());
        if (idx >= 0) {
          gens.put(e.getKey(), new Generator(e.getKey(), baseModel, idx));
        } else {
          checkSameTokenizer(e.getKey(), baseDir, e.getValue());
          DecoderModel m = HfCheckpoint.load(e.getValue(), root);
          owned.add(0, m);
          if (m.config().vocabSize() != baseModel.config().vocabSize()) {
            throw new IllegalArgumentException(
                e.getKey()
                    + " model "
                    + e.getValue()
                    + " has a vocabulary of "
                    + m.config().vocabSize()
                    + ", the base model "
                    + baseModel.config().vocabSize());
          }
          gens.put(e.getKey(), new Generator(e.getKey(), m, -1));
        }
      }
      return new VariantSet(
          new Generator("Base", baseModel, -1),
          gens.get("Reas"),
          gens.get("Tool"),
          gens.get("Unified"),
          tok,
          spans == null ? List.of(ToolSpan.search()) : spans,
          owned);
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  private static boolean isAdapterDir(Path d) {
    return Files.isRegularFile(d.resolve(PolicyCheckpoint.DART_FILE));
  }

  private static void checkModelDir(String variant, Path d) {
    if (d == null || !Files.isDirectory(d)) {
      throw new IllegalArgumentException(variant + " model directory not found: " + d);
    }
    for (String f : new String[] {"config.json", "tokenizer.json"}) {
      if (!Files.isRegularFile(d.resolve(f))) {
        throw new IllegalArgumentException(
            variant
                + ": "
                + d
                + " is neither an adapter directory (no "
                + PolicyCheckpoint.DART_FILE
                + ") nor a model directory (no "
                + f
                + ")");
      }
    }
  }

  private static void checkSameTokenizer(String variant, Path baseDir, Path dir) {
    try {
      byte[] a = Files.readAllBytes(baseDir.resolve(TextTokenizer.TOKENIZER_JSON));
      byte[] b = Files.readAllBytes(dir.resolve(TextTokenizer.TOKENIZER_JSON));
      if (!Arrays.equals(a, b)) {
        throw new IllegalArgumentException(
            variant
                + " model "
                + dir
                + " has a different tokenizer.json from the base model "
                + baseDir
                + "; hybrids exchange token ids, so all variants must share one tokenizer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort while failing
      }
    }
  }

  public Generator base() {
    return base;
  }

  public Generator reas() {
    return reas;
  }

  public Generator tool() {
    return tool;
  }

  public Generator unified() {
    return unified;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The tool-call spans every variant routes on. */
  public List<ToolSpan> spans() {
    return spans;
  }

  /** A router over {@link #spans()}. */
  public TokenRouter router() {
    return new TokenRouter(spans, tokenizer);
  }

  /** The generator that writes REASONING tokens in variant {@code m}. */
  public Generator reasoningSide(CeaModel m) {
    return switch (m) {
      case BASE, H_TOOL -> base;
      case REAS, H_REAS -> reas;
      case TOOL -> tool;
      case UNIFIED -> unified;
    };
  }

  /** The generator that writes TOOL tokens in variant {@code m}. */
  public Generator toolSide(CeaModel m) {
    return switch (m) {
      case BASE, H_REAS -> base;
      case REAS -> reas;
      case TOOL, H_TOOL -> tool;
      case UNIFIED -> unified;
    };
  }

  /** Frees what {@link #load} loaded (nothing for {@link #of}). */
  @Override
  public void close() {
    closeAll(owned);
  }
}
