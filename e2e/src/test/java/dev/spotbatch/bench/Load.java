package dev.spotbatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load averages, printed beside each round: the figures mean little without them. */
final class Load {
  private Load() {}

  /** The 1, 5 and 15-minute load averages ({@code /proc/loadavg}), or "unknown". */
  static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
