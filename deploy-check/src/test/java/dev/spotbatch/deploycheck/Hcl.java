package dev.spotbatch.deploycheck;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Terraform parsed with hcl4j. hcl4j evaluates what it can (literals stay literals; references such
 * as {@code var.x} come back as their text; functions it cannot evaluate may come back null), a
 * block that appears once is a map and a repeated block a list: {@link #blocks} hides the
 * difference. Checks therefore assert literal settings and the presence of references, and use the
 * source text only where hcl4j loses it (jsonencode).
 */
final class Hcl {
  private Hcl() {}

  /** One parsed file. */
  record TfFile(Path path, Map<String, Object> body, String text) {}

  /** A module directory: every {@code .tf} file in it, parsed. */
  record Module(Path dir, List<TfFile> files) {
    String name() {
      return dir.getFileName().toString();
    }

    /** {@code resource "type" "name"} bodies of this module, by name. */
    Map<String, Map<String, Object>> resources(String type) {
      return section("resource", type);
    }

    Map<String, Map<String, Object>> data(String type) {
      return section("data", type);
    }

    /** The {@code variable} blocks, by name. */
    Map<String, Map<String, Object>> variables() {
      Map<String, Map<String, Object>> all = new LinkedHashMap<>();
      for (TfFile f : files) {
        all.putAll(mapOf(f.body().get("variable")));
      }
      return all;
    }

    Map<String, Map<String, Object>> outputs() {
      Map<String, Map<String, Object>> all = new LinkedHashMap<>();
      for (TfFile f : files) {
        all.putAll(mapOf(f.body().get("output")));
      }
      return all;
    }

    /** The {@code module} calls, by name. */
    Map<String, Map<String, Object>> moduleCalls() {
      Map<String, Map<String, Object>> all = new LinkedHashMap<>();
      for (TfFile f : files) {
        all.putAll(mapOf(f.body().get("module")));
      }
      return all;
    }

    String text() {
      StringBuilder sb = new StringBuilder();
      files.forEach(f -> sb.append(f.text()).append('\n'));
      return sb.toString();
    }

    private Map<String, Map<String, Object>> section(String kind, String type) {
      Map<String, Map<String, Object>> all = new LinkedHashMap<>();
      for (TfFile f : files) {
        Object byType = mapOf(f.body().get(kind)).get(type);
        all.putAll(mapOf(byType));
      }
      return all;
    }
  }

  static TfFile parse(Path file) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = new HCLParser().parse(file.toFile(), "UTF-8");
      return new TfFile(file, body, Files.readString(file));
    } catch (Exception e) {
      throw new AssertionError(Repo.root().relativize(file) + " does not parse: " + e, e);
    }
  }

  static Module module(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<TfFile> files =
          s.filter(p -> p.toString().endsWith(".tf")).sorted().map(Hcl::parse).toList();
      return new Module(dir, files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A block that may appear once (a map) or several times (a list), as a list. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> blocks(Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof Map<?, ?> m) {
      return List.of((Map<String, Object>) m);
    }
    if (o instanceof List<?> l) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Object e : l) {
        if (e instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
      return out;
    }
    return List.of();
  }

  /** The one block {@code key} of {@code body}; fails when absent or repeated. */
  static Map<String, Object> block(Map<String, Object> body, String key) {
    List<Map<String, Object>> b = blocks(body == null ? null : body.get(key));
    if (b.size() != 1) {
      throw new AssertionError("expected one '" + key + "' block, found " + b.size());
    }
    return b.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> mapOf(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (v instanceof Map<?, ?> vm) {
              out.put(String.valueOf(k), (Map<String, Object>) vm);
            } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?>) {
              out.put(String.valueOf(k), (Map<String, Object>) l.get(0));
            }
          });
      return out;
    }
    return Map.of();
  }

  /** A value's text: literals as written, references as their expression. */
  static String str(Object o) {
    if (o instanceof Double d && d == Math.rint(d)) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(o);
  }

  /** The list a value holds, or empty. */
  static List<Object> list(Object o) {
    if (o instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    return List.of();
  }
}
