package dev.conveyor.localstack.feed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic, growing Q&A world for the demo. Day N introduces new places with facts never
 * seen before and asks again about facts of earlier days in phrasings not used before, so a model
 * trained on days 1..N-1 cannot know day N's new facts until it is retrained. Every phrasing of a
 * fact has the same short factual answer sentence, which makes BLEU meaningful: a model that
 * learned the fact reproduces the sentence, one that did not gets at most the template words right.
 */
public final class DemoWorld {
  /** The seed the local stack uses. */
  public static final long DEFAULT_SEED = 20261125L;

  static final int NEW_PLACES_PER_DAY = 30;
  static final int PHRASINGS_OF_A_NEW_FACT = 3;
  static final int OLD_FACTS_REPHRASED_PER_DAY = 150;

  private static final String[] KINDS = {
    "lighthouse",
    "mill",
    "bridge",
    "tower",
    "inn",
    "chapel",
    "harbour",
    "library",
    "market",
    "forge"
  };
  private static final String[] SYLLABLES = {
    "var", "tel", "osk", "quel", "dor", "mar", "ben", "sil", "tam", "rov", "kel", "ast", "lin",
    "bru", "fen", "hal", "mor", "wyn", "zan", "pel", "gor", "ith", "nal", "cor"
  };
  private static final String[] COLOURS = {
    "green", "red", "blue", "yellow", "black", "white", "grey", "orange", "purple", "brown",
    "silver", "golden"
  };
  private static final String[] ROOFS = {
    "slate", "copper", "thatch", "tin", "red tile", "lead", "oak shingles", "stone", "glass", "zinc"
  };
  private static final String[] FIRST = {
    "Anna", "Tomas", "Ilse", "Piet", "Mara", "Jonas", "Edda", "Karl", "Lena", "Olaf", "Rosa",
    "Sven", "Greta", "Hugo", "Nora", "Emil"
  };
  private static final String[] PREFIXES = {"", "Quick question: ", "Do you know this? "};

  /** Question templates by attribute; {e} is the place, e.g. "lighthouse at Varn". */
  private static final String[][] QUESTIONS = {
    {
      "What colour is the door of the {e}?",
      "Which colour is the door of the {e} painted?",
      "Tell me the colour of the door of the {e}.",
      "The door of the {e}: what colour is it?"
    },
    {
      "Who keeps the {e}?",
      "Who is the keeper of the {e}?",
      "Tell me who keeps the {e}.",
      "The {e}: who keeps it?"
    },
    {
      "When was the {e} built?",
      "In which year was the {e} built?",
      "Tell me when the {e} was built.",
      "The {e}: when was it built?"
    },
    {
      "How many windows does the {e} have?",
      "What is the number of windows of the {e}?",
      "Tell me how many windows the {e} has.",
      "The {e}: how many windows does it have?"
    },
    {
      "Which river flows past the {e}?",
      "What river runs past the {e}?",
      "Tell me which river flows past the {e}.",
      "The {e}: which river flows past it?"
    },
    {
      "What is the roof of the {e} made of?",
      "What material is the roof of the {e}?",
      "Tell me what the roof of the {e} is made of.",
      "The {e}: what is its roof made of?"
    }
  };

  private final long seed;
  private final List<List<Pair>> days = new ArrayList<>();
  private final List<Fact> facts = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  public DemoWorld(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** One question and its answer sentence, first published on {@code day}. */
  public record Pair(int day, String question, String answer) {}

  private static final class Fact {
    final String place;
    final int attribute;
    final String answer;
    final Set<Integer> usedPhrasings = new HashSet<>();

    Fact(String place, int attribute, String answer) {
      this.place = place;
      this.attribute = attribute;
      this.answer = answer;
    }

    String question(int phrasing) {
      String t = QUESTIONS[attribute][phrasing % QUESTIONS[attribute].length];
      return PREFIXES[phrasing / QUESTIONS[attribute].length] + t.replace("{e}", place);
    }
  }

  /** Every pair published on {@code day} (1-based), in a fixed order. */
  public synchronized List<Pair> day(int day) {
    if (day < 1) {
      throw new IllegalArgumentException("days start at 1: " + day);
    }
    while (days.size() < day) {
      days.add(generate(days.size() + 1));
    }
    return days.get(day - 1);
  }

  /** Every pair of days {@code from..to} inclusive, in day order. */
  public List<Pair> days(int from, int to) {
    List<Pair> all = new ArrayList<>();
    for (int d = Math.max(1, from); d <= to; d++) {
      all.addAll(day(d));
    }
    return all;
  }

  private List<Pair> generate(int day) {
    Random r = new Random(seed * 1_000_003L + day);
    List<Pair> out = new ArrayList<>();
    List<Fact> old = List.copyOf(facts);
    for (int i = 0; i < NEW_PLACES_PER_DAY; i++) {
      String place = KINDS[r.nextInt(KINDS.length)] + " at " + newName(r);
      for (int a = 0; a < QUESTIONS.length; a++) {
        Fact f = new Fact(place, a, answer(place, a, r));
        facts.add(f);
        for (int p : pick(r, PHRASINGS_OF_A_NEW_FACT, QUESTIONS[a].length)) {
          f.usedPhrasings.add(p);
          out.add(new Pair(day, f.question(p), f.answer));
        }
      }
    }
    int variants = QUESTIONS[0].length * PREFIXES.length;
    for (int i = 0; i < OLD_FACTS_REPHRASED_PER_DAY && !old.isEmpty(); i++) {
      Fact f = old.get(r.nextInt(old.size()));
      if (f.usedPhrasings.size() >= variants) {
        continue;
      }
      int p;
      do {
        p = r.nextInt(variants);
      } while (f.usedPhrasings.contains(p));
      f.usedPhrasings.add(p);
      out.add(new Pair(day, f.question(p), f.answer));
    }
    return List.copyOf(out);
  }

  private static int[] pick(Random r, int n, int of) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < of; i++) {
      all.add(i);
    }
    java.util.Collections.shuffle(all, r);
    return all.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
  }

  private String newName(Random r) {
    while (true) {
      int n = 1 + r.nextInt(2);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
      }
      if (r.nextBoolean()) {
        sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)].charAt(0));
      }
      String name = Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
      if (names.add(name)) {
        return name;
      }
    }
  }

  private static String answer(String place, int attribute, Random r) {
    String the = "The " + place;
    return switch (attribute) {
      case 0 -> "The door of the " + place + " is " + COLOURS[r.nextInt(COLOURS.length)] + ".";
      case 1 ->
          the
              + " is kept by "
              + FIRST[r.nextInt(FIRST.length)]
              + " "
              + cap(SYLLABLES[r.nextInt(SYLLABLES.length)] + SYLLABLES[r.nextInt(SYLLABLES.length)])
              + ".";
      case 2 -> the + " was built in " + (1700 + r.nextInt(250)) + ".";
      case 3 -> the + " has " + (2 + r.nextInt(39)) + " windows.";
      case 4 ->
          "The river "
              + cap(SYLLABLES[r.nextInt(SYLLABLES.length)] + "a")
              + " flows past the "
              + place
              + ".";
      default -> "The roof of the " + place + " is made of " + ROOFS[r.nextInt(ROOFS.length)] + ".";
    };
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
