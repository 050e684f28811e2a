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
 * moves much less, so it shows where the worker spends CPU beside the model. The JVM's own threads
 * (GC, JIT compilers, VM thread) are read from {@code /proc/self/task} by name; what is left of the
 * process total, {@code native}, is the threads neither Java nor the JVM's: ONNX Runtime's intra-op
 * pool (and the tokenizer's, if it starts one).
 */
final class CpuMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Linux's USER_HZ: {@code /proc} counts CPU in ticks of 10 ms. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long processStart;
  private final Map<Long, Long> threadStart = new HashMap<>();
  private final Map<String, Long> jvmStart;

  private CpuMeter() {
    processStart = OS.getProcessCpuTime();
    for (long id : THREADS.getAllThreadIds()) {
      threadStart.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
    jvmStart = jvmThreads();
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
      String group = group(info.getThreadName());
      if (!JVM_GROUPS.contains(group)) { // those come from /proc below
        groups.merge(group, used, Long::sum);
      }
    }
    long java = groups.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> jvmEnd = jvmThreads();
    long jvm = 0;
    for (var e : jvmEnd.entrySet()) {
      long used = e.getValue() - jvmStart.getOrDefault(e.getKey(), 0L);
      groups.merge(e.getKey(), used, Long::sum);
      jvm += used;
    }
    if (!jvmEnd.isEmpty()) {
      groups.put("native", Math.max(0, process - java - jvm));
    }
    return new Phase(process / 1_000_000, groups);
  }

  private static final java.util.Set<String> JVM_GROUPS = java.util.Set.of("gc", "jit", "vm");

  /** CPU of the JVM's own threads (GC, JIT, VM thread) by group, from {@code /proc/self/task}. */
  private static Map<String, Long> jvmThreads() {
    Map<String, Long> out = new TreeMap<>();
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    if (!java.nio.file.Files.isDirectory(tasks)) {
      return out;
    }
    try (var dirs = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) dirs::iterator) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException e) {
          continue; // the thread ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String group = jvmGroup(stat.substring(open + 1, close));
        if (group == null) {
          continue;
        }
        // after the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
        // cmajflt utime stime
        String[] f = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        out.merge(group, ticks * NANOS_PER_TICK, Long::sum);
      }
    } catch (java.io.IOException | RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  private static String jvmGroup(String comm) {
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
      return "gc";
    }
    if (comm.contains("CompilerThre")) {
      return "jit";
    }
    if (comm.startsWith("VM Thread") || comm.startsWith("VM Periodic")) {
      return "vm";
    }
    return null;
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

    /** A thread group's CPU in ms per 1,000 records (0 when it did not run). */
    double groupPerThousand(String group, long records) {
      return threadNanos.getOrDefault(group, 0L) / 1e6 * 1000.0 / records;
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
