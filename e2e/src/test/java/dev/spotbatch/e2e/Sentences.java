package dev.spotbatch.e2e;

/** Deterministic, varied English sentences for tests and benchmarks. */
public final class Sentences {
  private static final String[] SUBJECTS = {
    "A man",
    "The girl",
    "An old farmer",
    "Two children",
    "The engineer",
    "A small dog",
    "The orchestra",
    "My neighbour",
    "A tired student",
    "The pilot"
  };
  private static final String[] VERBS = {
    "is eating",
    "is carrying",
    "repairs",
    "watches",
    "paints",
    "is reading about",
    "photographs",
    "is walking past",
    "describes",
    "is thinking about"
  };
  private static final String[] OBJECTS = {
    "a piece of bread", "a baby", "the red tractor", "a quiet river", "the broken bridge",
    "a bowl of soup", "the night sky", "an old map", "the city market", "a wooden boat"
  };
  private static final String[] ENDINGS = {
    "",
    " in the morning",
    " after the storm",
    " near the station",
    " with great care",
    " before dinner",
    " on a cold day",
    " for the first time"
  };

  private Sentences() {}

  public static String sentence(int i) {
    return SUBJECTS[i % SUBJECTS.length]
        + " "
        + VERBS[(i / 10) % VERBS.length]
        + " "
        + OBJECTS[(i / 100) % OBJECTS.length]
        + ENDINGS[(i / 7) % ENDINGS.length]
        + ".";
  }
}
