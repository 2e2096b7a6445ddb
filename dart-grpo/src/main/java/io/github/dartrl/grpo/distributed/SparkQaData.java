package io.github.dartrl.grpo.distributed;

import io.github.dartrl.grpo.data.DatasetFormatException;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * QA datasets read through Spark into {@link QaExample} rows: Search-R1's own Parquet files ({@code
 * nq_hotpotqa_train/train.parquet}: id, question, golden_answers (array), data_source, then prompt,
 * ability, reward_model, extra_info, metadata, which go to {@link QaExample#extra()}) and JSONL in
 * the same schema, each line parsed as {@link QaDataset#readJsonl} does. Rows keep the file's
 * order.
 */
public final class SparkQaData {
  private SparkQaData() {}

  /** Reads {@code path}: Parquet if it ends in {@code .parquet} (file or directory), else JSONL. */
  public static QaDataset read(SparkSession spark, String path) {
    if (path.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      return QaDataset.of(examples(spark.read().parquet(path), Path.of(path)));
    }
    // lines through Spark (any file system it reads), each parsed as QaDataset.readJsonl does:
    // Spark's own JSON reader would sort the fields and retype the numbers of the extra fields
    List<QaExample> out = new ArrayList<>();
    long line = 0;
    for (String text : spark.read().textFile(path).collectAsList()) {
      line++;
      if (!text.isBlank()) {
        out.add(QaDataset.parseLine(Path.of(path), line, text));
      }
    }
    if (out.isEmpty()) {
      throw new DatasetFormatException(Path.of(path), 0, null, "no examples", null);
    }
    return QaDataset.of(out);
  }

  /** The rows of a data frame in Search-R1's schema as examples ({@code file} names errors). */
  public static List<QaExample> examples(Dataset<Row> df, Path file) {
    List<String> columns = List.of(df.columns());
    for (String required : List.of("id", "question", "golden_answers")) {
      if (!columns.contains(required)) {
        throw new DatasetFormatException(
            file, 0, required, "missing column (the file has " + columns + ")", null);
      }
    }
    List<QaExample> out = new ArrayList<>();
    long line = 0;
    for (Row row : df.collectAsList()) {
      line++;
      out.add(example(row, file, line));
    }
    return out;
  }

  private static QaExample example(Row row, Path file, long line) {
    String id = text(row, "id", file, line);
    String question = text(row, "question", file, line);
    Object answers = row.get(row.fieldIndex("golden_answers"));
    List<String> golden = new ArrayList<>();
    if (answers instanceof String s) {
      golden.add(s);
    } else if (answers instanceof Seq<?> seq) {
      for (Object a : CollectionConverters.asJava(seq)) {
        golden.add(String.valueOf(a));
      }
    } else {
      throw new DatasetFormatException(
          file, line, "golden_answers", "expected an array of strings, got " + answers, null);
    }
    String source = null;
    Map<String, Object> extra = new LinkedHashMap<>();
    for (StructField f : row.schema().fields()) {
      String name = f.name();
      Object v = row.get(row.fieldIndex(name));
      if (name.equals("data_source")) {
        source = v == null ? null : v.toString();
      } else if (!QaExample.RESERVED_FIELDS.contains(name)) {
        extra.put(name, plain(v));
      }
    }
    try {
      return new QaExample(id, question, golden, source, extra);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DatasetFormatException(file, line, null, e.getMessage(), e);
    }
  }

  private static String text(Row row, String field, Path file, long line) {
    Object v = row.get(row.fieldIndex(field));
    if (v == null) {
      throw new DatasetFormatException(file, line, field, "expected a value, got null", null);
    }
    return v.toString(); // numeric ids become their decimal text, as the JSONL reader keeps them
  }

  /** Spark values as the plain Java values QaExample's extra holds (maps, lists, scalars). */
  private static Object plain(Object v) {
    if (v instanceof Row r) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (StructField f : r.schema().fields()) {
        m.put(f.name(), plain(r.get(r.fieldIndex(f.name()))));
      }
      return m;
    }
    if (v instanceof Seq<?> seq) {
      List<Object> l = new ArrayList<>();
      for (Object o : CollectionConverters.asJava(seq)) {
        l.add(plain(o));
      }
      return l;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<String, Object> m = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, x) -> m.put(String.valueOf(k), plain(x)));
      return m;
    }
    return v;
  }
}
