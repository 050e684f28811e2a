package dev.spotbatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the benchmark's process and of its Java threads grouped by name (digits dropped),
 * over one phase. On a shared machine the wall-clock rates move with the load; CPU time per record
 * moves much less, so it shows where the worker spends CPU beside the model. ONNX Runtime's own
 * pool threads are native: they count in the process total only.
 */
final class CpuMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final long processStart;
  private final Map<Long, Long> threadStart = new HashMap<>();

  private CpuMeter() {
    processStart = OS.getProcessCpuTime();
    for (long id : THREADS.getAllThreadIds()) {
      threadStart.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
  }

  static CpuMeter start() {
    return new CpuMeter();
  }

  /** The phase's CPU: the process total and per thread group, in milliseconds. */
  Phase stop() {
    long process = OS.getProcessCpuTime() - processStart;
    Map<String, Long> groups = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long used = cpu - threadStart.getOrDefault(info.getThreadId(), 0L);
      groups.merge(group(info.getThreadName()), used, Long::sum);
    }
    return new Phase(process / 1_000_000, groups);
  }

  private static String group(String name) {
    String g = name.replaceAll("[0-9]+", "N");
    if (g.startsWith("inference-")) {
      return "inference";
    }
    if (g.startsWith("elasticmq")) {
      return "elasticmq";
    }
    if (g.startsWith("aws-java-sdk") || g.startsWith("sdk-async")) {
      return "aws-sdk";
    }
    if (g.startsWith("C") && g.contains("CompilerThread")) {
      return "jit";
    }
    if (g.startsWith("GC") || g.startsWith("G1")) {
      return "gc";
    }
    return g;
  }

  /** CPU over one phase. */
  record Phase(long processMillis, Map<String, Long> threadNanos) {
    /** Process CPU per 1,000 records. */
    double perThousand(long records) {
      return processMillis * 1000.0 / records;
    }

    /** The busiest thread groups, in ms per 1,000 records. */
    String top(long records, int n) {
      StringBuilder sb = new StringBuilder();
      threadNanos.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(n)
          .forEach(
              e ->
                  sb.append(sb.length() == 0 ? "" : ", ")
                      .append(e.getKey())
                      .append(' ')
                      .append(
                          String.format(
                              Locale.ROOT, "%.0f", e.getValue() / 1e6 * 1000.0 / records)));
      return sb.toString();
    }
  }
}
