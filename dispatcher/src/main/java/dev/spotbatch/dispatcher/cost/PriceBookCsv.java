package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a price book from CSV: {@code provider,region,instance_type,lifecycle,usd_per_hour,gpus,
 * basis,as_of,source}, a header line, {@code #} comments, the source quoted when it has commas.
 */
public final class PriceBookCsv {
  /** The sourced default book on the class path. */
  public static final String DEFAULT_RESOURCE = "prices/default-prices.csv";

  private PriceBookCsv() {}

  /** The default book's prices. */
  public static List<Price> defaults() {
    try (InputStream in =
        PriceBookCsv.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the default price book " + DEFAULT_RESOURCE + " is missing");
      }
      return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses CSV prices.
   *
   * @throws IllegalArgumentException naming the line that cannot be read
   */
  public static List<Price> read(Reader reader) throws IOException {
    List<Price> prices = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    String line;
    int n = 0;
    boolean header = true;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      try {
        prices.add(parse(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("price book line " + n + ": " + e.getMessage(), e);
      }
    }
    return prices;
  }

  private static Price parse(String line) {
    List<String> f = fields(line);
    if (f.size() < 9) {
      throw new IllegalArgumentException("expected 9 fields, got " + f.size());
    }
    return new Price(
        f.get(0),
        f.get(1),
        f.get(2),
        Lifecycle.valueOf(f.get(3).toUpperCase(Locale.ROOT)),
        Double.parseDouble(f.get(4)),
        PriceBasis.valueOf(f.get(6).toUpperCase(Locale.ROOT)),
        f.get(8),
        f.get(7).isBlank() ? null : LocalDate.parse(f.get(7)));
  }

  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().trim());
    return out;
  }
}
