package io.github.dartrl.leas.probe;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a flattened gradient is laid out: the trainable arrays grouped by decoder layer (names
 * containing {@code model.layers.{i}.}, HF and PEFT alike), then one group {@code other}
 * (embeddings, final norm, LM head) if any array is outside the layers. Groups are in layer order;
 * within a group arrays keep the order of the parameter map.
 */
public final class ParameterGroups {
  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.");
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> groupOf = new LinkedHashMap<>();
  private final Map<String, Integer> offsetOf = new LinkedHashMap<>();
  private final Map<String, Integer> sizeOf = new LinkedHashMap<>();
  private final int[] groupSizes;

  private ParameterGroups(Map<String, NDArray> params) {
    TreeMap<Integer, List<String>> layers = new TreeMap<>();
    List<String> other = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      Matcher m = LAYER.matcher(e.getKey());
      if (m.find()) {
        layers
            .computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
            .add(e.getKey());
      } else {
        other.add(e.getKey());
      }
    }
    List<List<String>> members = new ArrayList<>();
    layers.forEach(
        (i, list) -> {
          names.add("layer." + i);
          members.add(list);
        });
    if (!other.isEmpty()) {
      names.add("other");
      members.add(other);
    }
    groupSizes = new int[members.size()];
    for (int g = 0; g < members.size(); g++) {
      for (String p : members.get(g)) {
        long n = params.get(p).size();
        if (groupSizes[g] + n > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(
              "group " + names.get(g) + " has more than 2^31 scalars; split it further");
        }
        groupOf.put(p, g);
        offsetOf.put(p, groupSizes[g]);
        sizeOf.put(p, (int) n);
        groupSizes[g] += (int) n;
      }
    }
  }

  /** Groups the arrays of {@code params} (name → array). */
  public static ParameterGroups of(Map<String, NDArray> params) {
    if (params.isEmpty()) {
      throw new IllegalArgumentException("no trainable parameters to take gradients of");
    }
    return new ParameterGroups(params);
  }

  /** Group names, e.g. {@code layer.0}, ..., {@code other}. */
  public List<String> names() {
    return List.copyOf(names);
  }

  public int groups() {
    return groupSizes.length;
  }

  /** Scalars in group {@code g}. */
  public int size(int g) {
    return groupSizes[g];
  }

  /** Scalars in all groups. */
  public long totalSize() {
    long n = 0;
    for (int s : groupSizes) {
      n += s;
    }
    return n;
  }

  /** Every grouped array name. */
  public Iterable<String> arrays() {
    return groupOf.keySet();
  }

  int groupOf(String name) {
    return groupOf.get(name);
  }

  int offsetOf(String name) {
    return offsetOf.get(name);
  }

  int sizeOf(String name) {
    return sizeOf.get(name);
  }
}
