package io.github.dartrl.examples.world;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Turns the knowledge base into short passages (two to four sentences, templated with three
 * paraphrases per relation) and writes them as Search-R1 corpus JSONL, {@code {"id", "contents":
 * "\"Title\"\ntext"}}, titled by the entity's name.
 *
 * <p><b>Layout.</b> Each entity gets {@link WorldConfig#passagesPerEntity()} passages; its facts
 * are split into two groups (a river has one) and passage {@code i} states group {@code i mod 2} in
 * paraphrase {@code i mod 3} (a third passage repeats the first group in other words). For a person
 * the groups are {born_in, works_for} and {birth_year, occupation, spouse}: the spouse sentence
 * never shares a passage with the facts a spouse question asks for next, and no passage states both
 * halves of any two-hop chain, so every two-hop question really needs two searches.
 *
 * <p><b>Distractors.</b> Passages also mention other entities of the same split: a colleague at the
 * same company, another company headquartered in the same city, another city of the same country.
 * These sentences are true, but a search for the colleague also returns this passage, whose other
 * facts are about someone else. Distractors never cross splits.
 */
public final class CorpusWriter {

  private static final int STAGE = 2;

  /** Three paraphrases per relation; {s} subject, {o} object, {ao} object with "a"/"an". */
  private static final Map<Relation, List<String>> SENTENCES = new EnumMap<>(Relation.class);

  static {
    SENTENCES.put(
        Relation.BORN_IN,
        List.of(
            "{s} was born in {o} .",
            "{s} is a native of {o} .",
            "{s} was born in the city of {o} ."));
    SENTENCES.put(
        Relation.BIRTH_YEAR,
        List.of(
            "{s} was born in {o} .",
            "{s} was born in the year {o} .",
            "the birth year of {s} is {o} ."));
    SENTENCES.put(
        Relation.OCCUPATION,
        List.of("{s} works as {ao} .", "{s} is {ao} by profession .", "by trade , {s} is {ao} ."));
    SENTENCES.put(
        Relation.WORKS_FOR,
        List.of("{s} works for {o} .", "{s} is employed by {o} .", "{s} has a job at {o} ."));
    SENTENCES.put(
        Relation.SPOUSE,
        List.of(
            "{s} is married to {o} .", "{s} and {o} are married .", "the spouse of {s} is {o} ."));
    SENTENCES.put(
        Relation.HEADQUARTERED_IN,
        List.of(
            "{s} is headquartered in {o} .",
            "{s} has its head office in {o} .",
            "the head office of {s} is in {o} ."));
    SENTENCES.put(
        Relation.FOUNDED_YEAR,
        List.of(
            "{s} was founded in {o} .",
            "{s} was established in {o} .",
            "{s} has been in business since {o} ."));
    SENTENCES.put(
        Relation.LOCATED_IN,
        List.of(
            "{s} is a city in {o} .",
            "{s} lies in {o} .",
            "{s} is located in the country of {o} ."));
    SENTENCES.put(
        Relation.ON_RIVER,
        List.of(
            "{s} lies on the {o} .",
            "the {o} flows past {s} .",
            "{s} was built on the banks of the {o} ."));
    SENTENCES.put(
        Relation.CAPITAL,
        List.of(
            "the capital of {s} is {o} .",
            "{o} is the capital of {s} .",
            "{s} has {o} as its capital ."));
    SENTENCES.put(
        Relation.FLOWS_THROUGH,
        List.of(
            "the {s} flows through {o} .",
            "the {s} runs across {o} .",
            "the {s} crosses the country of {o} ."));
  }

  private static final String COLLEAGUE = "{s} works together with {o} there .";
  private static final String NEIGHBOUR = "{s} is also headquartered in {o} .";
  private static final String SIBLING = "{s} is another city in {o} .";
  private static final String CITY_INTRO = "{s} is {ao} city .";
  private static final String COMPANY_INTRO = "{s} is {ao} company .";
  private static final String COUNTRY_INTRO = "{s} is a country .";
  private static final String RIVER_INTRO = "the {s} is a river .";

  private CorpusWriter() {}

  /** The passages of {@code kb}, shuffled and numbered from 0; deterministic in the config. */
  public static List<CorpusPassage> compose(KnowledgeBase kb, WorldConfig config) {
    Random random = Draws.stage(config.seed(), STAGE);
    List<String[]> titled = new ArrayList<>(); // [title, text]
    for (Entity e : kb.entities()) {
      List<List<IntFunction<String>>> groups = groups(kb, e, random);
      // Passage i states group i mod 2 (or its only group) in paraphrase (first + i) mod 3, so
      // the (at most three) passages of an entity never read the same.
      int first = random.nextInt(3);
      for (int i = 0; i < config.passagesPerEntity(); i++) {
        int variant = first + i;
        String text =
            groups.get(i % groups.size()).stream()
                .map(sentence -> sentence.apply(variant))
                .collect(Collectors.joining(" "));
        titled.add(new String[] {e.name(), text});
      }
    }
    Draws.shuffle(titled, random);
    List<CorpusPassage> passages = new ArrayList<>(titled.size());
    for (int i = 0; i < titled.size(); i++) {
      passages.add(new CorpusPassage(Integer.toString(i), titled.get(i)[0], titled.get(i)[1]));
    }
    return passages;
  }

  /** The two sentence groups of an entity; each sentence is a function of the paraphrase. */
  private static List<List<IntFunction<String>>> groups(KnowledgeBase kb, Entity e, Random random) {
    String s = e.name();
    List<IntFunction<String>> a = new ArrayList<>();
    List<IntFunction<String>> b = new ArrayList<>();
    switch (e.type()) {
      case PERSON -> {
        a.add(fact(kb, s, Relation.BORN_IN));
        a.add(fact(kb, s, Relation.WORKS_FOR));
        String company = kb.object(s, Relation.WORKS_FOR).orElseThrow();
        // Never the spouse: a search for the spouse would find this passage, which states where
        // this person was born and works, answering "where was the spouse of ... born ?" at once.
        String spouse = kb.object(s, Relation.SPOUSE).orElse("");
        List<String> colleagues =
            kb.subjects(Relation.WORKS_FOR, company).stream()
                .filter(c -> !c.equals(spouse))
                .toList();
        other(colleagues, s, random).ifPresent(c -> a.add(fixed(fill(COLLEAGUE, s, c))));
        b.add(fact(kb, s, Relation.BIRTH_YEAR));
        b.add(fact(kb, s, Relation.OCCUPATION));
        if (kb.object(s, Relation.SPOUSE).isPresent()) {
          b.add(fact(kb, s, Relation.SPOUSE));
        }
      }
      case COMPANY -> {
        IntFunction<String> intro =
            fixed(fill(COMPANY_INTRO, s, Draws.pick(Lexicon.COMPANY_ADJECTIVES, random)));
        String city = kb.object(s, Relation.HEADQUARTERED_IN).orElseThrow();
        a.add(intro);
        a.add(fact(kb, s, Relation.HEADQUARTERED_IN));
        other(kb.subjects(Relation.HEADQUARTERED_IN, city), s, random)
            .ifPresent(k -> a.add(fixed(fill(NEIGHBOUR, k, city))));
        b.add(intro);
        b.add(fact(kb, s, Relation.FOUNDED_YEAR));
      }
      case CITY -> {
        IntFunction<String> intro =
            fixed(fill(CITY_INTRO, s, Draws.pick(Lexicon.CITY_ADJECTIVES, random)));
        String country = kb.object(s, Relation.LOCATED_IN).orElseThrow();
        a.add(intro);
        a.add(fact(kb, s, Relation.LOCATED_IN));
        if (e.isBackground()) {
          a.add(v -> sentence(Relation.CAPITAL, v + 1, country, s));
        } else {
          List<String> siblings =
              kb.subjects(Relation.LOCATED_IN, country).stream()
                  .filter(c -> kb.entity(c).orElseThrow().owner() == e.owner())
                  .toList();
          other(siblings, s, random).ifPresent(c -> a.add(fixed(fill(SIBLING, c, country))));
        }
        b.add(intro);
        b.add(fact(kb, s, Relation.ON_RIVER));
      }
      case COUNTRY -> {
        IntFunction<String> intro = fixed(fill(COUNTRY_INTRO, s, null));
        a.add(intro);
        a.add(fact(kb, s, Relation.CAPITAL));
        b.add(intro);
        List<String> rivers = kb.subjects(Relation.FLOWS_THROUGH, s);
        for (String river : rivers.subList(0, Math.min(2, rivers.size()))) {
          b.add(v -> sentence(Relation.FLOWS_THROUGH, v, river, s));
        }
      }
      case RIVER -> {
        a.add(fixed(fill(RIVER_INTRO, s, null)));
        a.add(fact(kb, s, Relation.FLOWS_THROUGH));
        return List.of(a); // one fact: every passage states it, in another paraphrase
      }
    }
    return List.of(a, b);
  }

  /** The sentence stating {@code subject}'s {@code r}, in the paraphrase asked for. */
  private static IntFunction<String> fact(KnowledgeBase kb, String subject, Relation r) {
    String object = kb.object(subject, r).orElseThrow();
    return v -> sentence(r, v, subject, object);
  }

  private static IntFunction<String> fixed(String sentence) {
    return v -> sentence;
  }

  /** Paraphrase {@code variant} (mod 3) of the sentence stating {@code (subject, r, object)}. */
  static String sentence(Relation r, int variant, String subject, String object) {
    List<String> options = SENTENCES.get(r);
    return fill(options.get(variant % options.size()), subject, object);
  }

  /** Substitutes {s}, {o} and {ao} ("a painter", "an engineer"). */
  static String fill(String template, String subject, String object) {
    String out = template.replace("{s}", subject);
    if (object != null) {
      String article = "aeiou".indexOf(object.charAt(0)) >= 0 ? "an" : "a";
      out = out.replace("{ao}", article + " " + object).replace("{o}", object);
    }
    return out;
  }

  private static Optional<String> other(List<String> names, String self, Random random) {
    List<String> others = names.stream().filter(n -> !n.equals(self)).toList();
    return others.isEmpty() ? Optional.empty() : Optional.of(Draws.pick(others, random));
  }

  /**
   * Writes {@code passages} to {@code file} as Search-R1 corpus JSONL, atomically.
   *
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, List<CorpusPassage> passages) {
    JsonFiles.writeAtomically(file, bytes(passages));
  }

  /** The JSONL bytes {@link #write} writes. */
  static byte[] bytes(List<CorpusPassage> passages) {
    return JsonFiles.jsonLines(
        passages.stream()
            .map(
                p -> {
                  ObjectNode node = JsonFiles.MAPPER.createObjectNode();
                  node.put("id", p.id());
                  node.put("contents", p.contents());
                  return node;
                })
            .toList());
  }

  /** Every fixed text of the passages, for the vocabulary and the reserved-word set. */
  static List<String> templateTexts() {
    List<String> texts = new ArrayList<>();
    SENTENCES.values().forEach(texts::addAll);
    texts.addAll(
        List.of(
            COLLEAGUE,
            NEIGHBOUR,
            SIBLING,
            CITY_INTRO,
            COMPANY_INTRO,
            COUNTRY_INTRO,
            RIVER_INTRO,
            "a an"));
    return texts.stream().map(t -> t.replaceAll("\\{[a-z:_A-Z]+\\}", " ")).toList();
  }
}
