package io.github.dartrl.grpo.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.Workspace;
import io.github.dartrl.grpo.data.DatasetFormatException;
import io.github.dartrl.grpo.data.QaDataset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Bad QA datasets (Search-R1 / FlashRAG JSONL), read by QaDataset. */
final class DatasetFaults {
  private DatasetFaults() {}

  private static final Class<DatasetFormatException> DFE = DatasetFormatException.class;

  static final String GOOD =
      "{\"id\": \"q1\", \"question\": \"capital of france?\", \"golden_answers\": [\"paris\"]}\n";

  private static Object read(Workspace w) throws Exception {
    return QaDataset.readJsonl(w.path("train.jsonl"));
  }

  private static Object readGz(Workspace w) throws Exception {
    return QaDataset.readJsonl(w.path("train.jsonl.gz"));
  }

  static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static final BadFile TRAIN =
      new BadFile(Category.DATASET, "train.jsonl", DatasetFaults::read, DFE);

  static List<FaultCase> cases() {
    Category d = Category.DATASET;
    return List.of(
        of(
            "dataset-missing-file",
            d,
            "train.jsonl does not exist",
            w -> {},
            DatasetFaults::read,
            throwsA(java.nio.file.NoSuchFileException.class, "train.jsonl")),
        TRAIN.holding(
            "dataset-malformed-line",
            "line 2 is not JSON",
            GOOD + "{\"id\": \"q2\", \"question\": \n",
            "train.jsonl:2: ",
            "malformed JSON"),
        TRAIN.holding(
            "dataset-line-not-object",
            "a line holding a JSON array",
            "[\"q1\", \"paris\"]\n",
            "train.jsonl:1: ",
            "expected a JSON object, got array"),
        TRAIN.holding(
            "dataset-missing-question",
            "line 2 without \"question\"",
            GOOD + "{\"id\": \"q2\", \"golden_answers\": [\"x\"]}\n",
            "train.jsonl:2: ",
            "field \"question\"",
            "expected a non-empty string"),
        TRAIN.holding(
            "dataset-answers-wrong-type",
            "\"golden_answers\": 42",
            "{\"id\": \"q1\", \"question\": \"q?\", \"golden_answers\": 42}\n",
            "train.jsonl:1: ",
            "field \"golden_answers\"",
            "expected a non-empty array of strings or a string, got number"),
        TRAIN.holding(
            "dataset-id-wrong-type",
            "\"id\": true",
            "{\"id\": true, \"question\": \"q?\", \"golden_answers\": [\"a\"]}\n",
            "train.jsonl:1: ",
            "field \"id\"",
            "expected a string or an integer"),
        TRAIN.holding(
            "dataset-empty-file",
            "a file of 0 bytes",
            "",
            "train.jsonl: ",
            "no examples (the file is empty)"),
        TRAIN.holding(
            "dataset-only-blank-lines",
            "three blank lines",
            "\n \n\n",
            "train.jsonl: ",
            "no examples (3 lines, all blank)"),
        of(
            "dataset-huge-line",
            d,
            "a 1.5 MiB line (default bound 1 MiB)",
            w -> {
              char[] big = new char[3 << 19];
              Arrays.fill(big, 'x');
              w.write(
                  "train.jsonl",
                  GOOD
                      + "{\"id\": \"q2\", \"question\": \""
                      + new String(big)
                      + "\", \"golden_answers\": [\"a\"]}\n");
            },
            DatasetFaults::read,
            throwsA(DFE, "train.jsonl:2: ", "line longer than 1048576 bytes")),
        TRAIN.holding(
            "dataset-duplicate-id",
            "id \"q1\" on lines 1 and 3",
            GOOD + "{\"id\": \"q2\", \"question\": \"b?\", \"golden_answers\": \"b\"}\n" + GOOD,
            "train.jsonl:3: ",
            "field \"id\"",
            "duplicate id \"q1\" (first on line 1)"),
        of(
            "dataset-not-utf8",
            d,
            "line 2 with the byte 0xFF",
            w -> {
              byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
              byte[] bad = Arrays.copyOf(good, good.length * 2);
              System.arraycopy(good, 0, bad, good.length, good.length);
              bad[good.length + 25] = (byte) 0xFF;
              w.writeBytes("train.jsonl", bad);
            },
            DatasetFaults::read,
            throwsA(DFE, "train.jsonl:2: ", "not valid UTF-8")),
        of(
            "dataset-gzip-truncated",
            d,
            "train.jsonl.gz cut in the middle of the stream",
            w -> {
              byte[] gz = gzip(GOOD.repeat(200));
              w.writeBytes("train.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
            },
            DatasetFaults::readGz,
            throwsA(DFE, "train.jsonl.gz:", "truncated or corrupt gzip stream")),
        of(
            "dataset-gzip-not-gzip",
            d,
            "plain JSONL named train.jsonl.gz",
            w -> w.write("train.jsonl.gz", GOOD),
            DatasetFaults::readGz,
            throwsA(DFE, "train.jsonl.gz: ", "expected a gzip file")));
  }
}
