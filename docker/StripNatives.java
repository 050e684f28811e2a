import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Removes what a Linux container never loads from the jars of a Spring Boot application's lib
 * directory: native libraries for other platforms (the ONNX Runtime jar carries Windows and macOS
 * builds) and debug symbols ({@code .pdb}, {@code .dSYM}, {@code .debug}). Run in the images'
 * build stage with the JDK's source launcher, no build tool needed:
 *
 * <pre>java docker/StripNatives.java linux-x64 /extracted/lib</pre>
 *
 * <p>The first argument is the platform to keep, spelled as ONNX Runtime does ({@code linux-x64},
 * {@code linux-aarch64}); DJL's spelling ({@code linux-x86_64}) is matched too. A jar is rewritten
 * only if it had something to remove; entries are copied byte for byte otherwise. Prints what it
 * removed per jar. deploy-check's StripNativesTest runs this file on a built jar.
 */
public final class StripNatives {
  private static final Pattern PLATFORM =
      Pattern.compile(
          "(?i)(^|/)(win|windows|osx|macos|darwin|linux|android|ios)[-_](x64|x86_64|x86|amd64|aarch64|arm64|armv7|arm|ppc64le|s390x)(/|$)");
  private static final Pattern DEBUG =
      Pattern.compile("(?i)(\\.pdb$|\\.dsym(/|$)|\\.debug$|\\.dbg$)");

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java StripNatives.java <keep-platform, e.g. linux-x64> <lib dir or jar>");
      System.exit(2);
    }
    String keep = args[0].toLowerCase();
    Path target = Path.of(args[1]);
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
      }
    } else {
      jars.add(target);
    }
    long saved = 0;
    for (Path jar : jars) {
      saved += strip(jar, keep);
    }
    System.out.printf("StripNatives: %d jar(s), %.1f MB removed%n", jars.size(), saved / 1e6);
  }

  /** Whether a jar entry is useless on {@code keep}. */
  static boolean unwanted(String entry, String keep) {
    if (DEBUG.matcher(entry).find()) {
      return true;
    }
    var m = PLATFORM.matcher(entry);
    while (m.find()) {
      String platform = (m.group(2) + "-" + m.group(3)).toLowerCase();
      if (!samePlatform(platform, keep)) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePlatform(String a, String b) {
    return normalise(a).equals(normalise(b));
  }

  private static String normalise(String p) {
    return p.replace('_', '-')
        .replace("x86-64", "x64")
        .replace("amd64", "x64")
        .replace("arm64", "aarch64")
        .replace("windows", "win")
        .replace("macos", "osx")
        .replace("darwin", "osx");
  }

  private static long strip(Path jar, String keep) throws IOException {
    long before = Files.size(jar);
    List<String> removed = new ArrayList<>();
    Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
    try (InputStream raw = Files.newInputStream(jar);
        ZipInputStream in = new ZipInputStream(raw);
        OutputStream rawOut = Files.newOutputStream(tmp);
        ZipOutputStream out = new ZipOutputStream(rawOut)) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (unwanted(e.getName(), keep)) {
          removed.add(e.getName());
          continue;
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        out.putNextEntry(copy);
        in.transferTo(out);
        out.closeEntry();
      }
    }
    if (removed.isEmpty()) {
      Files.delete(tmp);
      return 0;
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    long saved = before - Files.size(jar);
    System.out.printf(
        "StripNatives: %s: %d entries, %.1f MB removed%n",
        jar.getFileName(), removed.size(), saved / 1e6);
    return saved;
  }
}
