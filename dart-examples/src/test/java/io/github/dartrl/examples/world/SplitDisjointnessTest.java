package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The split rule: a split's questions name only entities it owns or background entities, so nothing
 * in train (or dev) questions, answers or hops names a test entity.
 */
class SplitDisjointnessTest {

  private final World world = Worlds.small();
  private final KnowledgeBase kb = world.knowledgeBase();

  @Test
  void questionSubjectsAreDisjointAcrossSplits() {
    Map<Split, Set<String>> subjects = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      Set<String> s = new HashSet<>();
      for (WorldQuestion q : world.questions(split)) {
        q.hops().forEach(h -> s.add(h.query()));
      }
      s.removeIf(name -> kb.entity(name).orElseThrow().isBackground());
      assertThat(s).as("%s has subjects", split).isNotEmpty();
      subjects.put(split, s);
    }
    for (Split a : Split.values()) {
      for (Split b : Split.values()) {
        if (a != b) {
          assertThat(subjects.get(a))
              .as("%s vs %s", a, b)
              .doesNotContainAnyElementsOf(subjects.get(b));
        }
      }
    }
  }

  @Test
  void noQuestionNamesAnEntityOwnedByAnotherSplit() {
    Map<String, Split> owners = new HashMap<>();
    kb.entities().stream()
        .filter(e -> !e.isBackground())
        .forEach(e -> owners.put(e.name(), e.owner()));
    int checked = 0;
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        List<String> texts = new ArrayList<>();
        texts.add(q.question());
        texts.addAll(q.goldenAnswers());
        q.hops().forEach(h -> texts.add(h.query() + " . " + h.answer()));
        for (String text : texts) {
          // Owned names are two words: every pair of adjacent words is a candidate name.
          String[] w = text.split(" ");
          for (int i = 0; i + 1 < w.length; i++) {
            Split owner = owners.get(w[i] + " " + w[i + 1]);
            if (owner != null) {
              checked++;
              assertThat(owner)
                  .as("%s in %s question %s", w[i] + " " + w[i + 1], split, q.id())
                  .isEqualTo(split);
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(world.config().questions());
  }
}
