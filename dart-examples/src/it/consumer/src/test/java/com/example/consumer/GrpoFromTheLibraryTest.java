package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-dependency promise: with dart-grpo and a libtorch native jar on the class path (and
 * nothing else: no plotting library, no logging backend), a tiny DART policy trains for a few GRPO
 * steps over multi-turn BM25 search rollouts.
 */
class GrpoFromTheLibraryTest {
  @TempDir Path dir;

  @Test
  void trainsAFewGrpoStepsWithOnlyTheDocumentedDependencies() throws Exception {
    // plots are optional: this project does not have JFreeChart, and training must not need it
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jfree.chart.JFreeChart"));

    Path modelDir = dir.resolve("model");
    List<String> words =
        List.of("who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":");
    TinyModels.create(modelDir, words, new TinyModels.Size(32, 2, 4, 2, 64, 256), 8);
    Path corpus = dir.resolve("corpus.jsonl");
    Files.writeString(
        corpus,
        "{\"id\": \"1\", \"contents\": \"\\\"paris\\\"\\nparis is the capital of france\"}\n"
            + "{\"id\": \"2\", \"contents\": \"\\\"city\\\"\\na city\"}\n");
    Bm25IndexBuilder.withDefaults().build(corpus, dir.resolve("index"));
    QaDataset train =
        QaDataset.of(
            List.of(
                QaExample.of("q0", "who is the capital of france", List.of("paris")),
                QaExample.of("q1", "the capital city", List.of("paris"))));
    GrpoConfig config =
        GrpoConfig.builder()
            .totalSteps(2)
            .promptsPerStep(2)
            .groupSize(2)
            .microBatchSize(4)
            .warmupRatio(0)
            .learningRate(1e-2)
            .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(8, 16).withTopK(1))
            .seed(3)
            .build();

    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir);
        LuceneBm25Retriever bm25 = LuceneBm25Retriever.open(dir.resolve("index"));
        Policy dart = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer trainer =
            Trainer.builder()
                .policy(dart)
                .tokenizer(tok)
                .retriever(bm25)
                .reward(RewardFunctions.named("em"))
                .trainData(train)
                .config(config)
                .runDir(dir.resolve("run"))
                .build()) {
      TrainResult result = trainer.fit();
      assertEquals(2, result.steps());
      assertEquals(2, result.history().size());
      for (StepMetrics m : result.history()) {
        assertTrue(Double.isFinite(m.value("actor/pg_loss")), "pg_loss of step " + m.step() + ": " + m);
      }
      assertTrue(Files.isRegularFile(dir.resolve("run").resolve("metrics.jsonl")));
    }
  }
}
