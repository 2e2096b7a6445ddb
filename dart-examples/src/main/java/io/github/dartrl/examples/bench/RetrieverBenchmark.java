package io.github.dartrl.examples.bench;

import io.github.dartrl.core.io.FileTrees;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.HttpRetrieverConfig;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverServer;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import io.github.dartrl.grpo.retrieval.SearchR1HttpRetriever;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures Lucene BM25 retrieval on a generated corpus: index build time, queries/s in process (one
 * thread, a few threads, batches) and through {@link RetrieverServer} on loopback.
 *
 * <p>The corpus is synthetic and seeded: a vocabulary of pseudo-words drawn with a Zipf law
 * (exponent 1), passages of 60-140 words with a two-word title, so term statistics resemble natural
 * text; queries are a passage's title plus four of its words. Every HTTP request goes to 127.0.0.1
 * and their number is fixed by the options. Results go to stdout as a Markdown table.
 *
 * <pre>
 * java -cp ... io.github.dartrl.examples.bench.RetrieverBenchmark --passages 100000
 * </pre>
 */
@Command(
    name = "retriever-benchmark",
    mixinStandardHelpOptions = true,
    description = "Benchmark Lucene BM25 retrieval, in process and over loopback HTTP.")
public final class RetrieverBenchmark implements Callable<Integer> {

  @Option(names = "--passages", defaultValue = "100000", description = "Corpus size.")
  int passages;

  @Option(names = "--vocabulary", defaultValue = "50000", description = "Distinct words.")
  int vocabulary;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(names = "--queries", defaultValue = "4000", description = "Queries per local run.")
  int queries;

  @Option(names = "--topk", defaultValue = "3", description = "Passages per query.")
  int topK;

  @Option(names = "--batch", defaultValue = "32", description = "Queries per batch.")
  int batch;

  @Option(names = "--threads", defaultValue = "1,2,4", split = ",", description = "Thread counts.")
  int[] threads;

  @Option(
      names = "--http-requests",
      defaultValue = "1000",
      description = "Single-query HTTP requests (batched runs send this many queries in total).")
  int httpRequests;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description = "Timed runs per mode; the table shows their median and best.")
  int repeats;

  @Option(names = "--work", description = "Working directory (default: a temporary one, deleted).")
  Path work;

  /**
   * One row of the result table: a mode measured {@code repeats} times.
   *
   * @param qps queries/s of each run
   * @param latenciesMs per-call latencies of all runs pooled; null for batched modes
   */
  private record Row(String what, int threads, int queries, double[] qps, double[] latenciesMs) {
    double median() {
      double[] sorted = qps.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    double best() {
      return Arrays.stream(qps).max().orElseThrow();
    }
  }

  private final List<Row> rows = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new RetrieverBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean temporary = work == null;
    Path dir = temporary ? Files.createTempDirectory("dart4j-bench-") : work;
    try {
      return run(dir);
    } finally {
      if (temporary) {
        FileTrees.deleteTree(dir);
      }
    }
  }

  private int run(Path dir) throws Exception {
    String loadBefore = Machine.loadAverage();
    Path corpus = dir.resolve("corpus.jsonl");
    Path index = dir.resolve("index");
    SyntheticCorpus generator = new SyntheticCorpus(vocabulary, seed);

    long t0 = System.nanoTime();
    List<String> titles = generator.write(corpus, passages);
    double writeSeconds = seconds(t0);
    long corpusBytes = Files.size(corpus);

    long t1 = System.nanoTime();
    Bm25IndexBuilder.withDefaults().withProgressEvery(25_000).build(corpus, index);
    double buildSeconds = seconds(t1);
    long indexBytes = directorySize(index);

    List<String> qs = generator.queries(titles, queries, seed + 1);
    try (LuceneBm25Retriever local = LuceneBm25Retriever.open(index)) {
      measureLocal(local, qs);
      measureHttp(local, qs);
    }

    System.out.printf(
        Locale.ROOT,
        "%n%s; %s; Java %s; %d cores; load average %s at start, %s at end%n",
        LocalDate.now(),
        Machine.cpuModel(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadBefore,
        Machine.loadAverage());
    System.out.printf(
        Locale.ROOT,
        "corpus: %,d passages, %.1f MB JSONL, written in %.1f s; index: built in %.1f s (%,.0f"
            + " passages/s), %.1f MB on disk%n%n",
        passages,
        corpusBytes / 1e6,
        writeSeconds,
        buildSeconds,
        passages / buildSeconds,
        indexBytes / 1e6);
    System.out.printf(
        "| mode | threads | queries per run | queries/s (median of %d) | best | p50 ms | p99 ms |%n",
        repeats);
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %,.0f | %,.0f | %s | %s |%n",
          r.what(),
          r.threads(),
          r.queries(),
          r.median(),
          r.best(),
          percentile(r.latenciesMs(), 0.50),
          percentile(r.latenciesMs(), 0.99));
    }
    return 0;
  }

  private void measureLocal(Retriever local, List<String> qs) throws Exception {
    // Warm-up: JIT (C2 needs thousands of calls), page cache, Lucene's term dictionaries.
    for (int rep = 0; rep < 2; rep++) {
      for (String q : qs) {
        local.search(q, topK);
      }
    }
    for (int n : threads) {
      rows.add(timed("local, one query per call", n, qs, 1, local));
    }
    rows.add(timed("local, batches of " + batch, 1, qs, batch, local));
  }

  private void measureHttp(LuceneBm25Retriever local, List<String> qs) throws Exception {
    RetrieverServerConfig config =
        RetrieverServerConfig.defaults()
            .withPort(0)
            .withThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
    try (RetrieverServer server = RetrieverServer.start(local, config)) {
      SearchR1HttpRetriever client =
          new SearchR1HttpRetriever(
              HttpRetrieverConfig.of(server.url().toString())
                  .withReadTimeout(Duration.ofSeconds(30))
                  .withMaxRetries(0));
      List<String> httpQs = qs.subList(0, Math.min(httpRequests, qs.size()));
      // Sanity: the HTTP path must return what the index returns.
      List<String> sample = httpQs.subList(0, Math.min(20, httpQs.size()));
      if (!client.search(sample, topK).equals(local.search(sample, topK))) {
        throw new IllegalStateException("HTTP results differ from local results");
      }
      for (String q : httpQs) {
        client.search(q, topK); // warm-up of both sides
      }
      for (int n : threads) {
        rows.add(timed("HTTP loopback, one query per request", n, httpQs, 1, client));
      }
      rows.add(timed("HTTP loopback, " + batch + " queries per request", 1, httpQs, batch, client));
    }
  }

  /** {@link #once} {@code repeats} times. */
  private Row timed(String what, int n, List<String> qs, int chunk, Retriever retriever)
      throws Exception {
    double[] qps = new double[repeats];
    List<double[]> latencies = new ArrayList<>();
    for (int rep = 0; rep < repeats; rep++) {
      double[] lat = new double[(qs.size() + chunk - 1) / chunk];
      qps[rep] = once(n, qs, chunk, retriever, lat);
      latencies.add(lat);
      System.err.printf(Locale.ROOT, "%s, %d threads: %.0f queries/s%n", what, n, qps[rep]);
    }
    double[] pooled = latencies.stream().flatMapToDouble(Arrays::stream).toArray();
    return new Row(what, n, qs.size(), qps, chunk == 1 ? pooled : null);
  }

  /**
   * Runs {@code qs} split over {@code n} threads in chunks of {@code chunk} queries per call,
   * recording each call's latency, and returns queries/s.
   */
  private double once(int n, List<String> qs, int chunk, Retriever retriever, double[] latencies)
      throws Exception {
    List<List<String>> calls = new ArrayList<>();
    for (int i = 0; i < qs.size(); i += chunk) {
      calls.add(qs.subList(i, Math.min(qs.size(), i + chunk)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int first = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int c = first; c < calls.size(); c += n) {
                    long s = System.nanoTime();
                    retriever.search(calls.get(c), topK);
                    latencies[c] = (System.nanoTime() - s) / 1e6;
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      return qs.size() / seconds(start);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String percentile(double[] values, double p) {
    if (values == null) {
      return "-";
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT, "%.2f", sorted[(int) Math.min(sorted.length - 1, p * sorted.length)]);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** The seeded generator of passages and queries. */
  static final class SyntheticCorpus {
    private static final String[] SYLLABLES = {
      "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "an", "el", "or", "ush", "ba", "di",
      "fe", "go", "hu", "ji", "ko", "la", "ma", "no", "pe", "qui", "ra", "si", "tu", "va", "wo"
    };

    private final String[] words;
    private final double[] cdf;
    private final SplittableRandom random;

    SyntheticCorpus(int vocabulary, long seed) {
      this.random = new SplittableRandom(seed);
      this.words = new String[vocabulary];
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < vocabulary; i++) {
        String w;
        do {
          StringBuilder sb = new StringBuilder();
          int n = 2 + random.nextInt(3);
          for (int s = 0; s < n; s++) {
            sb.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
          }
          w = sb.toString();
        } while (!seen.add(w));
        words[i] = w;
      }
      // Zipf(1): P(rank r) proportional to 1 / r.
      cdf = new double[vocabulary];
      double sum = 0;
      for (int r = 0; r < vocabulary; r++) {
        sum += 1.0 / (r + 1);
        cdf[r] = sum;
      }
      for (int r = 0; r < vocabulary; r++) {
        cdf[r] /= sum;
      }
    }

    private String word() {
      int i = Arrays.binarySearch(cdf, random.nextDouble());
      return words[Math.min(words.length - 1, i < 0 ? -i - 1 : i)];
    }

    private String rareWord() {
      // Titles use the less frequent half of the vocabulary, like named entities.
      return words[words.length / 2 + random.nextInt(words.length / 2)];
    }

    /** Writes the corpus and returns each passage's title + text, for making queries. */
    List<String> write(Path file, int count) throws IOException {
      List<String> docs = new ArrayList<>(count);
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int id = 0; id < count; id++) {
          String title = capitalise(rareWord()) + " " + capitalise(rareWord());
          StringBuilder text = new StringBuilder(title);
          int length = 60 + random.nextInt(81);
          for (int w = 0; w < length; w++) {
            text.append(w % 12 == 11 ? ". " : " ").append(word());
          }
          text.append('.');
          docs.add(text.toString());
          out.write(
              "{\"id\": \"" + id + "\", \"contents\": \"\\\"" + title + "\\\"\\n" + text + "\"}\n");
        }
      }
      return docs;
    }

    /** Queries: a passage's two title words plus four words from its text. */
    List<String> queries(List<String> docs, int count, long querySeed) {
      SplittableRandom r = new SplittableRandom(querySeed);
      List<String> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String[] tokens = docs.get(r.nextInt(docs.size())).replace(".", "").split(" ");
        StringBuilder q =
            new StringBuilder("what is ").append(tokens[0]).append(' ').append(tokens[1]);
        for (int k = 0; k < 4; k++) {
          q.append(' ').append(tokens[2 + r.nextInt(tokens.length - 2)]);
        }
        out.add(q.append('?').toString());
      }
      return out;
    }

    private static String capitalise(String w) {
      return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
  }
}
