package io.github.dartrl.core.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite (issue 9 §1), extended by each module's suite (dart-core's {@code
 * CoreFaultSuiteTest}, dart-grpo's {@code GrpoFaultSuiteTest}, dart-examples' {@code
 * CliFaultSuiteTest}), which names its cases and its module: every case makes one bad input in a
 * fresh workspace, calls the public API or the CLI on it, and checks the typed exception (or exit
 * code), that the message names the file/line/field and what was expected, and that nothing under
 * the workspace was written, overwritten or deleted. docs/reliability.md lists every case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FaultSuite {
  private final Map<String, String> outcomes = new ConcurrentHashMap<>();
  @TempDir Path shared;
  private Fixtures fixtures;

  /** The cases this module's suite runs. */
  protected abstract List<FaultCase> cases();

  /** The module's name, for the report file. */
  protected abstract String module();

  /** One dynamic test per case, named by category and case. */
  @TestFactory
  Stream<DynamicTest> everyFaultFailsCleanly() {
    return cases().stream()
        .map(c -> DynamicTest.dynamicTest(c.category().label + ": " + c.name(), () -> run(c)));
  }

  @Test
  void namesAreDistinctAndListedInTheDocs() throws Exception {
    assertDistinctNames(cases());
    Set<String> names = cases().stream().map(FaultCase::name).collect(Collectors.toSet());
    assertThat(listedInDocs()).containsAll(names);
  }

  private synchronized Fixtures fixtures() {
    if (fixtures == null) {
      fixtures = Fixtures.build(shared.resolve("fixtures"));
    }
    return fixtures;
  }

  private void run(FaultCase c) throws Exception {
    Path root = Files.createDirectories(shared.resolve("cases").resolve(c.name()));
    try (Workspace w = new Workspace(root, fixtures())) {
      c.arrange().prepare(w);
      FileSnapshot before = FileSnapshot.of(root);
      if (c.expected() instanceof FaultCase.Throws t) {
        Throwable thrown = catchThrowable(() -> closeIfResource(c.action().run(w)));
        assertThat(thrown).as(c.name()).isInstanceOf(t.type());
        record(c, w, thrown.getClass().getSimpleName() + ": " + thrown.getMessage());
        for (String f : t.fragments()) {
          assertThat(thrown.getMessage()).as(c.name()).contains(w.expand(f));
        }
      } else if (c.expected() instanceof FaultCase.Exits e) {
        FaultCase.CliRun r = (FaultCase.CliRun) c.action().run(w);
        assertThat(r.exit()).as(c.name() + ", stderr: " + r.err()).isEqualTo(e.code());
        record(c, w, "exit " + r.exit() + ": " + r.err().strip().lines().findFirst().orElse(""));
        for (String f : e.fragments()) {
          assertThat(r.err()).as(c.name()).contains(w.expand(f));
        }
        assertThat(r.err())
            .as("no stack trace")
            .doesNotContain("\tat ")
            .doesNotContain("Caused by");
        assertThat(r.out()).as("nothing on stdout").isEmpty();
      }
      FileSnapshot.of(root).assertUnchangedSince(before);
      c.verify().check(w);
    }
  }

  /** Keeps the outcome (paths relative to the workspace) for the optional report. */
  private void record(FaultCase c, Workspace w, String outcome) {
    String relative = outcome.replace(w.root() + "/", "").replace(w.root().toString(), ".");
    if (w.server() != null) {
      relative = relative.replace(w.server().url().toString(), "http://127.0.0.1:PORT/retrieve");
    }
    outcomes.put(c.name(), relative);
  }

  /**
   * With {@code -Ddart4j.faults.report=DIR}, writes {@code DIR/<module>-faults.md}: the docs table
   * rows (case, input, outcome, where defined) as measured, so docs/reliability.md can be refreshed
   * from a real run.
   */
  @AfterAll
  void writeReport() throws Exception {
    String dir = System.getProperty("dart4j.faults.report");
    if (dir == null) {
      return;
    }
    StringBuilder md = new StringBuilder();
    for (FaultCase c : cases()) {
      String outcome = outcomes.getOrDefault(c.name(), "(not run)");
      md.append("| `")
          .append(c.name())
          .append("` | ")
          .append(c.category().label)
          .append(" | ")
          .append(cell(c.input()))
          .append(" | ")
          .append(cell(outcome))
          .append(" | `")
          .append(c.category().catalog)
          .append("` |\n");
    }
    Files.createDirectories(Path.of(dir));
    Files.writeString(Path.of(dir, module() + "-faults.md"), md);
  }

  private static String cell(String text) {
    String oneLine = text.replace("\n", " ").replace("|", "\\|");
    return oneLine.length() > 260 ? oneLine.substring(0, 257) + "..." : oneLine;
  }

  private static void closeIfResource(Object result) throws Exception {
    if (result instanceof AutoCloseable a) {
      a.close();
    }
  }

  /** Checks that the names are distinct. */
  public static void assertDistinctNames(List<FaultCase> cases) {
    Set<String> names = new HashSet<>();
    cases.forEach(c -> assertThat(names.add(c.name())).as("duplicate name " + c.name()).isTrue());
  }

  /**
   * The case names docs/reliability.md's "Fault suite" section lists (the first column of its
   * tables), read from the module directory the tests run in.
   */
  public static Set<String> listedInDocs() throws Exception {
    Path doc = Path.of("..", "docs", "reliability.md");
    assertThat(doc).exists();
    String text = Files.readString(doc);
    String section = text.substring(text.indexOf("## Fault suite"));
    int next = section.indexOf("\n## ", 3);
    section = next < 0 ? section : section.substring(0, next);
    return Arrays.stream(section.split("\n"))
        .filter(l -> l.startsWith("| `"))
        .map(l -> l.substring(3, l.indexOf('`', 3)))
        .collect(Collectors.toSet());
  }
}
