package io.github.dartrl.examples.quickstart;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.world.DemonstrationMix;
import io.github.dartrl.examples.world.DemonstrationWriter;
import io.github.dartrl.examples.world.ScriptedDemonstration;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.examples.world.SqlDemonstrations;
import io.github.dartrl.examples.world.World;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.sft.SftResult;
import io.github.dartrl.grpo.sft.SftTrainer;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first half of every job on the bundled world: generate the world ({@code world/}), index its
 * corpus with BM25 ({@code index/}), create the tiny model ({@code model-init/}) and warm-start the
 * whole backbone by SFT on scripted, deliberately imperfect demonstrations ({@code sft/}), saved as
 * an HF directory ({@code model-sft/}) that every later phase loads its own copy of.
 *
 * @param world the generated world
 * @param worldDir its FlashRAG/Search-R1 files
 * @param indexDir the BM25 index over its corpus
 * @param modelConfig the tiny model's architecture
 * @param warmModel the warm-started model directory (weights and tokenizer)
 * @param mix the realised imperfection mix of the demonstrations
 * @param demonstrationTokens mean tokens per demonstration
 * @param sft the SFT run
 */
public record WarmStart(
    World world,
    Path worldDir,
    Path indexDir,
    ModelConfig modelConfig,
    Path warmModel,
    DemonstrationMix mix,
    double demonstrationTokens,
    SftResult sft) {
  private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);
  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json");

  /** The number of phases {@link #run} reports to {@code phases}. */
  public static final int PHASES = 4;

  /**
   * Runs the four phases (world, index, model, sft) into {@code out}, which the caller has created.
   *
   * @param c the job's configuration (world, model size and seed, demonstrations, SFT, rollout)
   * @param out the output directory
   * @param phases where the phases are timed and logged
   * @param onDemonstrations called with the demonstrations before SFT (e.g. to write examples)
   */
  public static WarmStart run(
      QuickstartConfig c, Path out, Phases phases, DemonstrationsListener onDemonstrations)
      throws IOException {
    phases.start("world");
    World world = World.generate(c.world());
    Path worldDir = out.resolve("world");
    world.writeTo(worldDir);
    phases.done(
        world.corpus().size()
            + " passages, "
            + world.questions(Split.TRAIN).size()
            + " train / "
            + world.questions(Split.TEST).size()
            + " test questions");

    phases.start("index");
    Path indexDir = out.resolve("index");
    Bm25IndexBuilder.withDefaults().build(worldDir.resolve(World.CORPUS_FILE), indexDir);
    phases.done("BM25 over " + world.corpus().size() + " passages");

    phases.start("model");
    List<String> texts = new ArrayList<>(world.vocabularyTexts());
    texts.addAll(DemonstrationWriter.vocabularyTexts());
    if (c.sql()) {
      // only with SQL: the search-only vocabulary, tokenizer and model stay those of before
      texts.addAll(SqlDemonstrations.vocabularyTexts());
    }
    texts.add(c.instruction());
    List<String> words =
        WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, Integer.MAX_VALUE);
    Path init = out.resolve("model-init");
    ModelConfig modelConfig =
        c.sql()
            ? TinyModels.create(
                init,
                words,
                c.modelSize(),
                c.modelSeed(),
                List.of(SqlExecutor.OPEN, SqlExecutor.CLOSE))
            : TinyModels.create(init, words, c.modelSize(), c.modelSeed());
    phases.done(
        String.format(
            "d=%d, %d layers, vocabulary %d, %,d parameters",
            modelConfig.hiddenSize(),
            modelConfig.numLayers(),
            modelConfig.vocabSize(),
            modelConfig.parameterCount()));

    phases.start("sft");
    Path warm = out.resolve("model-sft");
    DemonstrationMix mix;
    double demoTokens;
    SftResult sft;
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(init, root);
        TextTokenizer tok = TextTokenizer.load(init);
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(indexDir);
        SqlExecutor sql = c.sql() ? openTables(worldDir) : null;
        Policy full =
            Policy.create(
                model, PolicyConfig.of(Method.FULL, 1).withSpans(c.policy().spans()), tok)) {
      List<ScriptedDemonstration> demos =
          new DemonstrationWriter(
                  tok,
                  retriever,
                  c.template(),
                  c.grpo().rollout(),
                  full.router(),
                  c.demonstrations(),
                  sql)
              .withAliases(world.aliases())
              .write(world.questions(Split.TRAIN));
      mix = DemonstrationMix.of(demos);
      demoTokens =
          demos.stream().mapToInt(d -> d.demonstration().length()).average().orElse(Double.NaN);
      onDemonstrations.accept(mix, demos, tok);
      LOG.info(
          "{} demonstrations (imitation EM {}), SFT for {} steps",
          demos.size(),
          String.format("%.3f", mix.correctRate()),
          c.sft().totalSteps(demos.size()));
      sft =
          SftTrainer.builder()
              .policy(full)
              .config(c.sft())
              .padId(tok.padTokenId().orElse(0))
              .runDir(out.resolve("sft"))
              .build()
              .fit(demos.stream().map(ScriptedDemonstration::demonstration).toList());
      HfCheckpoint.save(model, warm, SafetensorsDType.F32);
    }
    for (String f : TOKENIZER_FILES) {
      Files.copy(init.resolve(f), warm.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    phases.done(String.format("final loss %.3f", finalLoss(sft)));
    return new WarmStart(world, worldDir, indexDir, modelConfig, warm, mix, demoTokens, sft);
  }

  /**
   * The SQL tool's database over the world's tables ({@link World#TABLES_FILE} in {@code
   * worldDir}), read-only under the default limits.
   */
  public static SqlExecutor openTables(Path worldDir) {
    return SqlExecutor.fromScript(worldDir.resolve(World.TABLES_FILE), SqlLimits.defaults());
  }

  /** Sees the demonstrations before SFT trains on them. */
  @FunctionalInterface
  public interface DemonstrationsListener {
    /** Called once with the demonstrations, their mix and the tokenizer that encoded them. */
    void accept(DemonstrationMix mix, List<ScriptedDemonstration> demos, TextTokenizer tok)
        throws IOException;

    /** A listener that does nothing. */
    static DemonstrationsListener none() {
      return (mix, demos, tok) -> {};
    }
  }

  /** The SFT loss averaged over the last 5% of steps (the per-step loss is noisy). */
  public double sftFinalLoss() {
    return finalLoss(sft);
  }

  private static double finalLoss(SftResult sft) {
    return sft.finalLoss(Math.max(1, sft.steps() / 20));
  }
}
