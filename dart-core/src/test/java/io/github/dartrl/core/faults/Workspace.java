package io.github.dartrl.core.faults;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The directory one fault case runs in, with helpers to make bad inputs.
 *
 * <p>{@code out/} already holds a good result of a previous run ({@value #PREVIOUS_RESULT}), so a
 * case whose action writes into {@code out/} also checks that a failure does not overwrite it.
 */
public final class Workspace implements AutoCloseable {
  public static final String PREVIOUS_RESULT = "out/previous-result.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Fixtures fixtures;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private NDManager manager;
  private FaultyServer server;

  public Workspace(Path root, Fixtures fixtures) throws IOException {
    this.root = root;
    this.fixtures = fixtures;
    write(PREVIOUS_RESULT, "{\"test_em\": 0.42, \"note\": \"a good result of an earlier run\"}\n");
  }

  public Path root() {
    return root;
  }

  public Path path(String relative) {
    return root.resolve(relative);
  }

  /** The output directory holding a previous good result. */
  public Path out() {
    return root.resolve("out");
  }

  public Path write(String relative, String text) throws IOException {
    return writeBytes(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  public Path writeBytes(String relative, byte[] bytes) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  /** Copies the fixture model directory to {@code model/} and returns it. */
  public Path model() throws IOException {
    Path dir = root.resolve("model");
    if (!Files.isDirectory(dir)) {
      copyTree(fixtures.model(), dir);
    }
    return dir;
  }

  /** Copies the fixture adapters (and model) and returns {@code adapters/}. */
  public Path adapters() throws IOException {
    model();
    Path dir = root.resolve("adapters");
    if (!Files.isDirectory(dir)) {
      copyTree(fixtures.adapters(), dir);
    }
    return dir;
  }

  /** Rewrites a JSON object file in place. */
  public void editJson(Path file, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(n);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), n);
  }

  /** A PyTorch manager closed with the workspace (and with it every model the action loaded). */
  public NDManager manager() {
    if (manager == null) {
      manager = NDManager.newBaseManager("PyTorch");
    }
    return manager;
  }

  /** Starts a misbehaving retrieval server, stopped with the workspace. */
  public FaultyServer serve(FaultyServer.Mode mode) throws IOException {
    server = FaultyServer.start(mode);
    return server;
  }

  public FaultyServer server() {
    return server;
  }

  /** Closes {@code c} with the workspace (for anything an action opens before it fails). */
  public <T extends AutoCloseable> T closeLater(T c) {
    resources.push(c);
    return c;
  }

  /** Replaces {@code {url}} and {@code {root}} in an expected message fragment. */
  public String expand(String fragment) {
    String s = fragment.replace("{root}", root.toString());
    return server == null ? s : s.replace("{url}", server.url().toString());
  }

  @Override
  public void close() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    if (server != null) {
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(
          p -> {
            try {
              Path target = to.resolve(from.relativize(p).toString());
              if (Files.isDirectory(p)) {
                Files.createDirectories(target);
              } else {
                Files.copy(p, target);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
