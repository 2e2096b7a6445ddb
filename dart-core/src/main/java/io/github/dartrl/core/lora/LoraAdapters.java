package io.github.dartrl.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.OwnedArrays;
import io.github.dartrl.core.model.Projection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A set of named LoRA adapters attached to every targeted projection of a model. Adapter {@code i}
 * is addressed by its index in {@link #configs()}; which one runs at which position is decided per
 * forward by the model's {@code adapterAt} array.
 *
 * <p>The backbone stays frozen; only the stacked A/B arrays require gradients. The reference model
 * for KL is the same model with adapters disabled ({@link #disabled()}), so no second copy of the
 * weights exists.
 */
public final class LoraAdapters implements AutoCloseable {
  private final DecoderModel model;
  private final List<LoraConfig> configs;
  private final NDManager manager;
  private final List<LoraLinear> layers = new ArrayList<>();
  private boolean enabled = true;

  private LoraAdapters(DecoderModel model, List<LoraConfig> configs) {
    this.model = model;
    this.configs = List.copyOf(configs);
    this.manager = model.manager().newSubManager();
  }

  /**
   * Creates the adapters (A kaiming-uniform with a=sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in)); B = 0)
   * and attaches them to {@code model}. Initialisation is seeded per adapter name and projection,
   * so it does not depend on the order adapters are listed in.
   */
  public static LoraAdapters attach(DecoderModel model, List<LoraConfig> configs, long seed) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("no adapters to attach");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (LoraConfig c : configs) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("duplicate adapter name " + c.name());
      }
    }
    for (Projection p : model.projections()) {
      if (p.delta() != null) {
        throw new IllegalStateException("model already has adapters on " + p.name());
      }
    }
    LoraAdapters set = new LoraAdapters(model, configs);
    Map<List<Integer>, ColumnLayout> layouts = new HashMap<>();
    try (GradMode off = GradMode.disabled()) {
      for (Projection p : model.projections()) {
        List<Integer> on = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
          if (configs.get(i).targetModules().contains(p.moduleName())) {
            on.add(i);
          }
        }
        if (on.isEmpty()) {
          continue;
        }
        ColumnLayout layout = layouts.computeIfAbsent(on, k -> new ColumnLayout(k, set.configs));
        int in = (int) p.inFeatures();
        float[] a = new float[layout.totalRank * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int blk = 0; blk < layout.adapters.length; blk++) {
          String adapterName = configs.get(layout.adapters[blk]).name();
          SplittableRandom rng = new SplittableRandom(seed ^ mix(adapterName + "/" + p.name()));
          int from = layout.offsets[blk] * in;
          int to = from + layout.ranks[blk] * in;
          for (int i = from; i < to; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
          }
        }
        NDArray aArr = OwnedArrays.of(set.manager, a, new Shape(layout.totalRank, in));
        NDArray bArr = set.manager.zeros(new Shape(p.outFeatures(), layout.totalRank));
        aArr.setName(p.name() + ".lora_A");
        bArr.setName(p.name() + ".lora_B");
        aArr.setRequiresGradient(true);
        bArr.setRequiresGradient(true);
        LoraLinear lora = new LoraLinear(p, layout, aArr, bArr, set);
        p.setDelta(lora);
        set.layers.add(lora);
      }
    }
    return set;
  }

  private static long mix(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h * 0x9E3779B97F4A7C15L;
  }

  public DecoderModel model() {
    return model;
  }

  public List<LoraConfig> configs() {
    return configs;
  }

  /** Index of the adapter with this name. */
  public int indexOf(String name) {
    for (int i = 0; i < configs.size(); i++) {
      if (configs.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no adapter named " + name + "; have " + configs);
  }

  /** Every LoRA projection, in model order. */
  public List<LoraLinear> layers() {
    return Collections.unmodifiableList(layers);
  }

  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Disables every adapter until the returned handle is closed: the model is then exactly the
   * frozen backbone (the KL reference).
   */
  public AutoCloseable disabled() {
    boolean was = enabled;
    enabled = false;
    return () -> enabled = was;
  }

  /** The trainable arrays (stacked A and B of every projection), by name. */
  public Map<String, NDArray> trainableParameters() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    for (LoraLinear l : layers) {
      m.put(l.stackedA().getName(), l.stackedA());
      m.put(l.stackedB().getName(), l.stackedB());
    }
    return m;
  }

  /** Number of trainable scalars of one adapter. */
  public long parameterCount(int adapter) {
    long n = 0;
    for (LoraLinear l : layers) {
      int blk = l.layout().blockOf(adapter);
      if (blk >= 0) {
        n += (long) l.layout().ranks[blk] * (l.target().inFeatures() + l.target().outFeatures());
      }
    }
    return n;
  }

  /**
   * Copies of adapter {@code adapter}'s own A {@code [r, in]} and B {@code [out, r]} per
   * projection, keyed by projection module path; allocated in {@code into}.
   */
  public Map<String, NDArray[]> weightsOf(int adapter, NDManager into) {
    Map<String, NDArray[]> m = new LinkedHashMap<>();
    try (GradMode off = GradMode.disabled()) {
      for (LoraLinear l : layers) {
        int blk = l.layout().blockOf(adapter);
        if (blk < 0) {
          continue;
        }
        int from = l.layout().offsets[blk];
        int to = from + l.layout().ranks[blk];
        // the slices are views attached to the weights' long-lived manager: close them, or every
        // checkpoint leaks one handle per array (seen in the soak test)
        try (NDArray sliceA = l.stackedA().get(new NDIndex("{}:{}, :", from, to));
            NDArray sliceB = l.stackedB().get(new NDIndex(":, {}:{}", from, to))) {
          NDArray a = sliceA.duplicate();
          NDArray b = sliceB.duplicate();
          a.attach(into);
          b.attach(into);
          m.put(l.target().name(), new NDArray[] {a, b});
        }
      }
    }
    return m;
  }

  /**
   * Overwrites adapter {@code adapter}'s A and B on one projection (shapes {@code [r, in]} and
   * {@code [out, r]}).
   */
  public void setWeights(int adapter, String projection, NDArray a, NDArray b) {
    LoraLinear l = find(projection);
    int blk = l.layout().blockOf(adapter);
    if (blk < 0) {
      throw new IllegalArgumentException(
          "adapter " + configs.get(adapter).name() + " does not target " + projection);
    }
    int from = l.layout().offsets[blk];
    int to = from + l.layout().ranks[blk];
    Shape aShape = new Shape(to - from, l.target().inFeatures());
    Shape bShape = new Shape(l.target().outFeatures(), to - from);
    if (!a.getShape().equals(aShape) || !b.getShape().equals(bShape)) {
      throw new IllegalArgumentException(
          projection
              + ": expected lora_A "
              + aShape
              + " and lora_B "
              + bShape
              + ", got "
              + a.getShape()
              + " and "
              + b.getShape());
    }
    try (GradMode off = GradMode.disabled()) {
      l.stackedA().set(new NDIndex("{}:{}, :", from, to), a);
      l.stackedB().set(new NDIndex(":, {}:{}", from, to), b);
    }
  }

  /**
   * 0/1 masks selecting adapter {@code adapter}'s own rows of each stacked A ({@code [R, 1]}) and
   * columns of each stacked B ({@code [1, R]}), keyed like {@link #trainableParameters()}; layers
   * the adapter does not target are absent. Allocated in {@code into}.
   */
  public Map<String, NDArray> gradientMasks(int adapter, NDManager into) {
    Map<String, NDArray> masks = new LinkedHashMap<>();
    for (LoraLinear l : layers) {
      int blk = l.layout().blockOf(adapter);
      if (blk < 0) {
        continue;
      }
      float[] m = new float[l.layout().totalRank];
      java.util.Arrays.fill(
          m, l.layout().offsets[blk], l.layout().offsets[blk] + l.layout().ranks[blk], 1f);
      masks.put(l.stackedA().getName(), OwnedArrays.of(into, m, new Shape(m.length, 1)));
      masks.put(l.stackedB().getName(), OwnedArrays.of(into, m, new Shape(1, m.length)));
    }
    return masks;
  }

  /** The LoRA layer on a projection (HF module path). */
  public LoraLinear find(String projection) {
    for (LoraLinear l : layers) {
      if (l.target().name().equals(projection)) {
        return l;
      }
    }
    throw new IllegalArgumentException("no adapter on projection " + projection);
  }

  /** Detaches the adapters from the model and frees them. */
  @Override
  public void close() {
    for (LoraLinear l : layers) {
      l.target().setDelta(null);
    }
    manager.close();
  }
}
