package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The seeded knowledge base: fictional entities and the facts between them.
 *
 * <p>Background entities (countries, their capitals, rivers) are shared by all splits. People,
 * non-capital cities and companies are partitioned into train / dev / test, and every relation
 * between owned entities stays inside one split: a person is born in a city and works for a company
 * of their own split, is married to someone of their own split, and a company is headquartered in a
 * city of its own split. Owned entities point to background ones only (a city lies in a country on
 * a river). So following relations from a test entity never reaches a train or dev entity.
 *
 * <p>Every relation is functional (one object per subject), so {@link #object} is well defined.
 * Names are built from word pools shared by all splits ("kavor miltren" in test, "kavor dasel" in
 * train); the partition puts at least one user of every pool word into train when it can, so a test
 * name is a new combination of words a model has seen, never an unseen word.
 */
public final class KnowledgeBase {

  private static final int STAGE = 1;

  private final List<Entity> entities;
  private final Map<String, Entity> byName;
  private final List<Fact> facts;
  private final Map<String, Map<Relation, String>> objects;
  private final Map<Relation, Map<String, List<String>>> subjects;

  private KnowledgeBase(List<Entity> entities, List<Fact> facts) {
    this.entities = List.copyOf(entities);
    this.facts = List.copyOf(facts);
    Map<String, Entity> names = new HashMap<>();
    for (Entity e : entities) {
      if (names.put(e.name(), e) != null) {
        throw new IllegalStateException("duplicate entity name " + e.name());
      }
    }
    this.byName = names;
    Map<String, Map<Relation, String>> objs = new HashMap<>();
    Map<Relation, Map<String, List<String>>> subs = new EnumMap<>(Relation.class);
    for (Fact f : facts) {
      String previous =
          objs.computeIfAbsent(f.subject(), k -> new EnumMap<>(Relation.class))
              .put(f.relation(), f.object());
      if (previous != null) {
        throw new IllegalStateException("two objects for " + f.subject() + " " + f.relation());
      }
      subs.computeIfAbsent(f.relation(), k -> new HashMap<>())
          .computeIfAbsent(f.object(), k -> new ArrayList<>())
          .add(f.subject());
    }
    this.objects = objs;
    this.subjects = subs;
  }

  /** Generates the knowledge base of {@code config}; deterministic in the config. */
  public static KnowledgeBase generate(WorldConfig config) {
    Random random = Draws.stage(config.seed(), STAGE);
    Names names = new Names(random, Lexicon.reservedWords());
    List<Entity> entities = new ArrayList<>();
    List<Fact> facts = new ArrayList<>();

    // Background: countries, their capitals, rivers (each country gets at least one river).
    List<String> countries = names.words(config.countries(), 3);
    List<String> capitals = names.words(config.countries(), 2);
    List<String> rivers = new ArrayList<>();
    for (String stem : names.words(config.rivers(), 2)) {
      rivers.add(stem + " " + Lexicon.RIVER);
    }
    Map<String, List<String>> riversOf = new HashMap<>();
    for (int i = 0; i < rivers.size(); i++) {
      String country = countries.get(i % countries.size());
      riversOf.computeIfAbsent(country, k -> new ArrayList<>()).add(rivers.get(i));
      entities.add(new Entity(rivers.get(i), EntityType.RIVER, null));
      facts.add(new Fact(rivers.get(i), Relation.FLOWS_THROUGH, country));
    }
    for (int i = 0; i < countries.size(); i++) {
      String country = countries.get(i);
      entities.add(new Entity(country, EntityType.COUNTRY, null));
      entities.add(new Entity(capitals.get(i), EntityType.CITY, null));
      facts.add(new Fact(country, Relation.CAPITAL, capitals.get(i)));
      facts.add(new Fact(capitals.get(i), Relation.LOCATED_IN, country));
      facts.add(
          new Fact(capitals.get(i), Relation.ON_RIVER, Draws.pick(riversOf.get(country), random)));
    }

    // Owned entities: names from shared word pools, then partitioned into splits.
    Map<Split, List<String>> cities =
        partition(
            config,
            combinations(names, config.cities(), Lexicon.CITY_SUFFIXES, false, random),
            random);
    Map<Split, List<String>> companies =
        partition(
            config,
            combinations(names, config.companies(), Lexicon.COMPANY_KINDS, false, random),
            random);
    Map<Split, List<String>> people =
        partition(config, combinations(names, config.people(), null, true, random), random);

    for (Split split : Split.values()) {
      List<String> splitCities = cities.get(split);
      for (int i = 0; i < splitCities.size(); i++) {
        String city = splitCities.get(i);
        // Round-robin over the countries (the list is shuffled), so no country dominates answers.
        String country = countries.get(i % countries.size());
        entities.add(new Entity(city, EntityType.CITY, split));
        facts.add(new Fact(city, Relation.LOCATED_IN, country));
        facts.add(new Fact(city, Relation.ON_RIVER, Draws.pick(riversOf.get(country), random)));
      }
      for (String company : companies.get(split)) {
        entities.add(new Entity(company, EntityType.COMPANY, split));
        facts.add(new Fact(company, Relation.HEADQUARTERED_IN, Draws.pick(splitCities, random)));
        facts.add(
            new Fact(
                company,
                Relation.FOUNDED_YEAR,
                Integer.toString(
                    Draws.between(Lexicon.FIRST_FOUNDED_YEAR, Lexicon.LAST_FOUNDED_YEAR, random))));
      }
      List<String> splitPeople = people.get(split);
      for (String person : splitPeople) {
        entities.add(new Entity(person, EntityType.PERSON, split));
        facts.add(new Fact(person, Relation.BORN_IN, Draws.pick(splitCities, random)));
        facts.add(
            new Fact(
                person,
                Relation.BIRTH_YEAR,
                Integer.toString(
                    Draws.between(Lexicon.FIRST_BIRTH_YEAR, Lexicon.LAST_BIRTH_YEAR, random))));
        facts.add(new Fact(person, Relation.OCCUPATION, Draws.pick(Lexicon.OCCUPATIONS, random)));
        facts.add(new Fact(person, Relation.WORKS_FOR, Draws.pick(companies.get(split), random)));
      }
      // Spouses: consecutive pairs of a shuffled copy, inside the split.
      List<String> candidates = new ArrayList<>(splitPeople);
      Draws.shuffle(candidates, random);
      int pairs = (int) Math.floor(candidates.size() * config.marriedFraction() / 2);
      for (int p = 0; p < pairs; p++) {
        String a = candidates.get(2 * p);
        String b = candidates.get(2 * p + 1);
        facts.add(new Fact(a, Relation.SPOUSE, b));
        facts.add(new Fact(b, Relation.SPOUSE, a));
      }
    }
    return new KnowledgeBase(entities, facts);
  }

  /**
   * {@code n} distinct two-word names, shuffled: {@code stem + " " + second} with second from
   * {@code seconds}, or (people) {@code first + " " + last} from two generated pools. Pools hold
   * about twice the square root of the combinations needed, so each word is shared by several names
   * (retrieval must match both words).
   */
  private static List<String> combinations(
      Names names, int n, List<String> seconds, boolean people, Random random) {
    List<String> firsts;
    List<String> lasts;
    if (people) {
      int pool = (int) Math.ceil(2 * Math.sqrt(n));
      firsts = names.words(pool, 2);
      lasts = names.words(pool, 2);
    } else {
      firsts = names.words((int) Math.ceil(2.0 * n / seconds.size()), 2);
      lasts = seconds;
    }
    List<String> all = new ArrayList<>(firsts.size() * lasts.size());
    for (String first : firsts) {
      for (String last : lasts) {
        all.add(first + " " + last);
      }
    }
    Draws.shuffle(all, random);
    return new ArrayList<>(all.subList(0, n));
  }

  /**
   * Splits shuffled names by the config's fractions. Train first takes, in order, every name that
   * brings a word no train name has yet, so (when train is large enough) every word of a dev or
   * test name also occurs in a train name; then the splits are filled in order.
   */
  private static Map<Split, List<String>> partition(
      WorldConfig config, List<String> shuffled, Random random) {
    int nTrain = config.splitCount(shuffled.size(), Split.TRAIN);
    int nDev = config.splitCount(shuffled.size(), Split.DEV);
    List<String> train = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (String name : shuffled) {
      boolean bringsNewWord = !covered.containsAll(List.of(name.split(" ")));
      if (bringsNewWord && train.size() < nTrain) {
        train.add(name);
        Collections.addAll(covered, name.split(" "));
      } else {
        rest.add(name);
      }
    }
    while (train.size() < nTrain) {
      train.add(rest.remove(0));
    }
    Draws.shuffle(train, random);
    Map<Split, List<String>> out = new EnumMap<>(Split.class);
    out.put(Split.TRAIN, train);
    out.put(Split.DEV, new ArrayList<>(rest.subList(0, nDev)));
    out.put(Split.TEST, new ArrayList<>(rest.subList(nDev, rest.size())));
    return out;
  }

  /** All entities: background first, then each split's cities, companies and people. */
  public List<Entity> entities() {
    return entities;
  }

  /** The entities of one type, in {@link #entities()} order. */
  public List<Entity> entities(EntityType type) {
    return entities.stream().filter(e -> e.type() == type).toList();
  }

  /** The entities of one type owned by {@code split}. */
  public List<Entity> entities(EntityType type, Split split) {
    return entities.stream().filter(e -> e.type() == type && e.owner() == split).toList();
  }

  /** The entity called {@code name}, if any. */
  public Optional<Entity> entity(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** All facts, in generation order (both directions of each marriage). */
  public List<Fact> facts() {
    return facts;
  }

  /** The facts whose subject is {@code name}, in {@link Relation} order. */
  public List<Fact> factsAbout(String name) {
    Map<Relation, String> objs = objects.getOrDefault(name, Map.of());
    List<Fact> out = new ArrayList<>(objs.size());
    objs.forEach((r, o) -> out.add(new Fact(name, r, o)));
    return out;
  }

  /** The object of {@code relation} for {@code subject}, if that fact exists. */
  public Optional<String> object(String subject, Relation relation) {
    return Optional.ofNullable(objects.getOrDefault(subject, Map.of()).get(relation));
  }

  /** The subjects with {@code relation} to {@code object}, e.g. everyone working for a company. */
  public List<String> subjects(Relation relation, String object) {
    return Collections.unmodifiableList(
        subjects.getOrDefault(relation, Map.of()).getOrDefault(object, List.of()));
  }

  /** Entity counts by type, in {@link EntityType} order. */
  public Map<EntityType, Integer> counts() {
    Map<EntityType, Integer> counts = new LinkedHashMap<>();
    for (EntityType t : EntityType.values()) {
      counts.put(t, 0);
    }
    entities.forEach(e -> counts.merge(e.type(), 1, Integer::sum));
    return counts;
  }
}
