package io.github.dartrl.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.world.World;
import io.github.dartrl.examples.world.WorldConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reuses the warm start of an earlier run (an interference or quickstart output directory): its
 * {@code world/}, {@code index/}, {@code model-sft/} and {@code sft/} are copied into the new
 * output directory, so the results folder stays self-contained, and the SFT is not repeated. The
 * earlier world must have been generated from the same {@link WorldConfig}.
 */
public final class WarmStartReuse {
  private static final List<String> DIRS = List.of("world", "index", "model-sft", "sft");

  private WarmStartReuse() {}

  /**
   * Copies and checks the earlier warm start.
   *
   * @throws IllegalArgumentException naming the directory or file when something is missing or the
   *     world was generated from another configuration
   */
  public static WarmStart copy(WorldConfig world, Path from, Path out, Phases phases)
      throws IOException {
    phases.start("warm start (reused from " + from + ")");
    for (String d : DIRS) {
      if (!Files.isDirectory(from.resolve(d))) {
        throw new IllegalArgumentException(
            "cannot reuse the warm start in " + from + ": no " + d + "/ directory");
      }
    }
    Path worldJson = from.resolve("world").resolve(World.WORLD_FILE);
    if (!Files.isRegularFile(worldJson)) {
      throw new IllegalArgumentException("cannot reuse " + from + ": no " + worldJson);
    }
    requireSameWorld(worldJson, world, worldJson.toString());
    for (String d : DIRS) {
      copyTree(from.resolve(d), out.resolve(d));
    }
    Path model = out.resolve("model-sft");
    ModelConfig mc = ModelConfig.read(model.resolve("config.json"));
    WarmStart w =
        new WarmStart(
            World.generate(world),
            out.resolve("world"),
            out.resolve("index"),
            mc,
            model,
            null,
            Double.NaN,
            null);
    phases.done("world, index, Base model and SFT metrics copied");
    return w;
  }

  /**
   * Checks that the world in {@code worldJson} was generated from {@code world}: an earlier run's
   * test split and prompts come from its world, so a warm start from another world would be
   * evaluated on questions it was not built for.
   *
   * @param what how the message names the earlier run
   * @throws IllegalArgumentException naming both configurations when they differ
   */
  public static void requireSameWorld(Path worldJson, WorldConfig world, String what)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode recorded = json.readTree(worldJson.toFile()).get("config");
    if (recorded == null || !world.equals(json.treeToValue(recorded, WorldConfig.class))) {
      throw new IllegalArgumentException(
          what
              + ": its world (config "
              + recorded
              + ") is not this run's world: it was generated from another world configuration than"
              + " this run's ("
              + json.valueToTree(world)
              + ")");
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
