package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.NativeSwitches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Peak memory of one training method in a JVM of its own (so one method's peak cannot hide
 * another's): builds the model (two full models for TWO_AGENT), runs two AdamW training steps and a
 * 4-row rollout, and prints {@code RESULT rss_mb=… native_mb=… trainable=…}. Peak RSS is Linux's
 * VmHWM; native memory is the largest RSS minus the JVM's committed heap and non-heap seen at the
 * sample points (after loading, after each backward and each optimizer step, after the rollout),
 * i.e. libtorch's tensors and the native libraries.
 */
public final class MemoryProbe {
  private double nativePeak;

  private MemoryProbe() {}

  /** Methods this probe measures, in report order. */
  static final List<String> METHODS = List.of("LORA", "DART", "TWO_AGENT");

  /**
   * Arguments: method (LORA, DART, TWO_AGENT), vocab, hidden, layers, heads, kvHeads, intermediate,
   * maxPositions, rows, seq.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("offline", "true");
    NativeSwitches.apply();
    if (args.length != 10) {
      throw new IllegalArgumentException(
          "usage: MemoryProbe METHOD vocab hidden layers heads kvHeads intermediate maxPos rows"
              + " seq");
    }
    int[] n = Arrays.stream(args, 1, 10).mapToInt(Integer::parseInt).toArray();
    ModelConfig c = ModelConfig.qwen2(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
    new MemoryProbe().run(args[0], c, n[7], n[8]);
  }

  private void run(String method, ModelConfig c, int rows, int seq) throws IOException {
    boolean two = method.equals("TWO_AGENT");
    Method m = two ? Method.FULL : Method.valueOf(method);
    SequenceBatch batch = TrainingBench.randomBatch(c, rows, seq, 3);
    long trainable = 0;
    try (NDManager root = JobDevice.newRoot()) {
      List<DecoderModel> models = new ArrayList<>();
      List<Policy> policies = new ArrayList<>();
      for (int i = 0; i < (two ? 2 : 1); i++) {
        DecoderModel model = DecoderModel.randomInit(c, 1 + i, root);
        models.add(model);
        Policy p =
            Policy.create(
                model,
                two ? PolicyConfig.of(Method.FULL, 8) : TrainingBench.policyConfig(m),
                ids -> "");
        policies.add(p);
        trainable += p.trainableParameters().values().stream().mapToLong(NDArray::size).sum();
      }
      sample();
      List<AdamW> opts = new ArrayList<>();
      List<Gradients> grads = new ArrayList<>();
      for (Policy p : policies) {
        grads.add(new Gradients(p.trainableParameters(), p.model().manager()));
        opts.add(new AdamW(AdamW.Config.defaults(), p.trainableParameters(), p.model().manager()));
      }
      for (int step = 0; step < 2; step++) {
        for (int i = 0; i < policies.size(); i++) {
          Policy p = policies.get(i);
          try (NDManager s = p.model().newScope()) {
            grads.get(i).backward(() -> p.logProbs(s, batch, 1f).mean().neg());
          }
          sample();
          opts.get(i).step(grads.get(i), 1e-4);
          sample();
        }
      }
      for (Policy p : policies) {
        List<long[]> prompts = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          prompts.add(Arrays.copyOf(batch.tokens().ids(), 32));
        }
        boolean[] all = {true, true, true, true};
        try (DecodeSession s = new DecodeSession(p.model(), prompts, 32 + 33, p.schedule(4))) {
          s.generate(SamplingParams.sample(1.0, 32, 1), all, ids -> "");
        }
        sample();
      }
      System.out.printf(
          Locale.ROOT,
          "RESULT rss_mb=%.1f native_mb=%.1f trainable=%d%n",
          status("VmHWM:") / 1024.0,
          nativePeak,
          trainable);
      for (int i = 0; i < policies.size(); i++) {
        opts.get(i).close();
        grads.get(i).close();
        policies.get(i).close();
        models.get(i).close();
      }
    }
  }

  private void sample() throws IOException {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    double jvm = mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
    double rss = status("VmRSS:") * 1024.0;
    nativePeak = Math.max(nativePeak, (rss - jvm) / (1024.0 * 1024.0));
  }

  /** A kB field of /proc/self/status. */
  static double status(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(field)) {
        return Double.parseDouble(l.replaceAll("[^0-9]", ""));
      }
    }
    return Double.NaN;
  }

  /** Runs one probe in a child JVM and returns rss_mb, native_mb and trainable. */
  static double[] spawn(String method, ModelConfig c, int rows, int seq)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small serial-GC heap and direct-memory limit keep the JVM's own share of RSS (the
    // float[] and direct buffers of weight initialisation) small and alike for every method, so
    // the comparison is about the tensors.
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:MaxDirectMemorySize=512m");
    cmd.add("-Doffline=true");
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(NativeSwitches.childFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryProbe.class.getName());
    cmd.add(method);
    for (int v :
        new int[] {
          c.vocabSize(),
          c.hiddenSize(),
          c.numLayers(),
          c.numHeads(),
          c.numKvHeads(),
          c.intermediateSize(),
          c.maxPositions(),
          rows,
          seq
        }) {
      cmd.add(Integer.toString(v));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    // the child runs libtorch with as many threads as this process
    pb.environment()
        .put("OMP_NUM_THREADS", Integer.toString(ai.djl.pytorch.jni.JniUtils.getNumThreads()));
    Process p = pb.start();
    double[] r = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          String[] kv = line.substring(7).split(" ");
          r = new double[kv.length];
          for (int i = 0; i < kv.length; i++) {
            r[i] = Double.parseDouble(kv[i].substring(kv[i].indexOf('=') + 1));
          }
        }
      }
    }
    int code = p.waitFor();
    if (code != 0 || r == null) {
      throw new IllegalStateException(
          "memory probe for " + method + " failed with exit code " + code);
    }
    return r;
  }
}
