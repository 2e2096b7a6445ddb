package io.github.dartrl.examples.real;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The six-capitals world the train-real and packaged-CLI tests run on: one corpus passage and one
 * FlashRAG question per country, the first four questions for training and the last two for test.
 */
public final class CapitalsFixture {
  /**
   * One fact: its question, its gold answer and the corpus passage that holds it.
   *
   * @param answer the capital (the gold answer)
   * @param country the entity (the passage's title)
   * @param dataSource the question's {@code data_source}
   */
  public record Fact(String answer, String country, String dataSource) {
    /** The question asked about this fact. */
    public String question() {
      return "what is the capital of " + country;
    }

    /** The corpus passage's text. */
    public String passage() {
      return "the capital of " + country + " is " + answer + " .";
    }

    /** The question's FlashRAG JSONL line, with id {@code q<i>}. */
    public String qaLine(int i) {
      return String.format(
          "{\"id\": \"q%d\", \"question\": \"%s\", \"golden_answers\": [\"%s\"],"
              + " \"data_source\": \"%s\"}",
          i, question(), answer, dataSource);
    }

    /** The passage's Search-R1 corpus line, with id {@code i}. */
    public String corpusLine(int i) {
      return "{\"id\": \""
          + i
          + "\", \"contents\": \"\\\""
          + country
          + "\\\"\\n"
          + passage()
          + "\"}";
    }
  }

  private static final String[][] CAPITALS = {
    {"paris", "france"},
    {"berlin", "germany"},
    {"rome", "italy"},
    {"madrid", "spain"},
    {"lisbon", "portugal"},
    {"vienna", "austria"}
  };

  /** Questions written to {@code train.jsonl}; the rest go to {@code test.jsonl}. */
  public static final int TRAIN = 4;

  private CapitalsFixture() {}

  /** The six facts, every question from {@code nq}. */
  public static List<Fact> facts() {
    return facts("nq", "nq", "nq", "nq", "nq", "nq");
  }

  /** The six facts with these {@code data_source}s, in order. */
  public static List<Fact> facts(String... dataSources) {
    if (dataSources.length != CAPITALS.length) {
      throw new IllegalArgumentException(
          "one data_source per fact: " + CAPITALS.length + ", got " + dataSources.length);
    }
    List<Fact> facts = new ArrayList<>();
    for (int i = 0; i < CAPITALS.length; i++) {
      facts.add(new Fact(CAPITALS[i][0], CAPITALS[i][1], dataSources[i]));
    }
    return facts;
  }

  /**
   * Writes {@code corpus.jsonl}, {@code train.jsonl} (the first {@link #TRAIN} questions) and
   * {@code test.jsonl} (the rest) into {@code dir}.
   */
  public static void writeData(Path dir, List<Fact> facts) throws IOException {
    List<String> corpus = new ArrayList<>();
    List<String> qa = new ArrayList<>();
    for (int i = 0; i < facts.size(); i++) {
      corpus.add(facts.get(i).corpusLine(i));
      qa.add(facts.get(i).qaLine(i));
    }
    Files.write(dir.resolve("corpus.jsonl"), corpus);
    Files.write(dir.resolve("train.jsonl"), qa.subList(0, TRAIN));
    Files.write(dir.resolve("test.jsonl"), qa.subList(TRAIN, qa.size()));
  }

  /**
   * The texts whose words a model for this world needs: the Search-R1 instruction, then each
   * question with its passage.
   */
  public static List<String> vocabularyText(List<Fact> facts) {
    List<String> text = new ArrayList<>(List.of(PromptTemplate.SEARCH_R1_INSTRUCTION));
    facts.forEach(f -> text.add(f.question() + " " + f.passage()));
    return text;
  }

  /** Creates a tiny test-size HF model directory ({@code seed 1}) over this world's words. */
  public static void createModel(Path modelDir, List<Fact> facts) throws IOException {
    TinyModels.create(
        modelDir,
        WordLevelTokenizerWriter.vocabularyFrom(
            vocabularyText(facts).stream(), 1, Integer.MAX_VALUE),
        TinyModels.Size.test(),
        1);
  }

  /**
   * train-real's input options for this world in {@code dir}: the model, the {@code train} and
   * {@code test} files there (JSONL or Parquet) and the corpus.
   */
  public static List<String> trainRealInputs(Path dir, String train, String test) {
    return List.of(
        "--model",
        dir.resolve("model").toString(),
        "--train",
        dir.resolve(train).toString(),
        "--test",
        dir.resolve(test).toString(),
        "--corpus",
        dir.resolve("corpus.jsonl").toString());
  }
}
