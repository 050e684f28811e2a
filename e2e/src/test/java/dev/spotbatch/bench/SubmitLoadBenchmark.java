package dev.spotbatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./bench.sh load [jobs] [clients]}: issue 10 point 8. The embedded default's dispatcher
 * (its embedded ElasticMQ, H2, local store; default rate limit 50/s, burst 200 per key) in this
 * JVM; {@code clients} threads submit {@code jobs} one-record jobs, retrying 429s after
 * Retry-After. Prints the answers by status, the submit latency (each answer, and accepted
 * including retries), and the memory of this JVM (the dispatcher plus the light client threads):
 * heap after a full GC before and after, the heap pools' peak, and the process's peak resident set.
 */
final class SubmitLoadBenchmark {
  private final int jobs;
  private final int clients;

  SubmitLoadBenchmark(int jobs, int clients) {
    this.jobs = jobs;
    this.clients = clients;
  }

  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-load");
    try (LoadDispatcher d = LoadDispatcher.start(dir)) {
      long heapBefore = heapAfterGc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      SubmitLoad load = new SubmitLoad(d.api(), d.token());
      SubmitLoad.Result r = load.run(jobs, clients, d.outputPrefix());
      long peakHeap = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
          peakHeap += p.getPeakUsage().getUsed();
        }
      }
      long heapAfter = heapAfterGc();
      List<String> missing = load.missing(r);
      List<String> rows = new ArrayList<>();
      rows.add(
          "| jobs / clients | %d / %d | wall %.1f s | accepted %d | final answers %s | 429s retried %d | lost or mixed up %d |"
              .formatted(
                  r.jobs(),
                  r.clients(),
                  r.wall().toMillis() / 1000.0,
                  r.accepted(),
                  r.finalStatuses(),
                  r.throttled(),
                  missing.size()));
      rows.add(
          "| submit latency, each answer (ms) | p50 %.1f | p90 %.1f | p99 %.1f | max %.1f | n %d | |"
              .formatted(
                  ms(SubmitLoad.quantile(r.latenciesMicros(), 0.5)),
                  ms(SubmitLoad.quantile(r.latenciesMicros(), 0.9)),
                  ms(SubmitLoad.quantile(r.latenciesMicros(), 0.99)),
                  ms(SubmitLoad.quantile(r.latenciesMicros(), 1.0)),
                  r.latenciesMicros().size()));
      rows.add(
          "| accepted, from first try incl. 429 waits (ms) | p50 %.1f | p90 %.1f | p99 %.1f | max %.1f | n %d | |"
              .formatted(
                  ms(SubmitLoad.quantile(r.acceptedLatenciesMicros(), 0.5)),
                  ms(SubmitLoad.quantile(r.acceptedLatenciesMicros(), 0.9)),
                  ms(SubmitLoad.quantile(r.acceptedLatenciesMicros(), 0.99)),
                  ms(SubmitLoad.quantile(r.acceptedLatenciesMicros(), 1.0)),
                  r.acceptedLatenciesMicros().size()));
      rows.add(
          "| memory (MiB) | heap after GC before %d | after %d | heap peak %d | process peak RSS %s | | |"
              .formatted(mib(heapBefore), mib(heapAfter), mib(peakHeap), peakRss()));
      return rows;
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** VmHWM from /proc/self/status (Linux), in MiB; "n/a" elsewhere. */
  private static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return Long.toString(kb / 1024);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "n/a";
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }
}
