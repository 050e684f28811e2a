package dev.spotbatch.sample;

import dev.spotbatch.spi.Translator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sample plugin {@code word-stats}: words, characters and the longest word of each text. */
public final class WordStats implements Translator {

  /** One text's statistics. */
  public record Stats(int words, int chars, String longest) {}

  @Override
  public String name() {
    return "word-stats";
  }

  @Override
  public List<?> translate(List<String> texts) {
    List<Stats> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      String[] words = t.isBlank() ? new String[0] : t.strip().split("\\s+");
      String longest = "";
      for (String w : words) {
        if (w.length() > longest.length()) {
          longest = w.toLowerCase(Locale.ROOT);
        }
      }
      out.add(new Stats(words.length, t.length(), longest));
    }
    return out;
  }
}
