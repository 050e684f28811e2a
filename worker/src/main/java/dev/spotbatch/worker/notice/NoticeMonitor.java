package dev.spotbatch.worker.notice;

import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.resilience.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every {@link NoticeSource} on a daemon thread of its own ({@code notice-<name>}), polling at
 * the source's interval (zero for a long-polling source such as GCP's hanging GET), and reports
 * each distinct notice (by id) once to the {@link NoticeListener}. Sources are independent, so an
 * advisory notice (a rebalance recommendation) never masks a later spot or lifecycle notice: every
 * source keeps polling after it has reported. Transport errors are tolerated: logged at most once a
 * minute per source (with a count) and retried after a {@link Backoff} wait that starts no sooner
 * than the source's own interval.
 */
public final class NoticeMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NoticeMonitor.class);
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  private final NoticeListener listener;
  private final List<Entry> entries;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Map<String, Reported> reported = new ConcurrentHashMap<>();
  private volatile boolean running;
  private final List<Thread> threads = new ArrayList<>();

  private record Entry(NoticeSource source, Duration interval) {}

  private record Reported(Notice notice, NoticeSource source) {}

  private NoticeMonitor(Builder b) {
    this.clock = b.clock;
    this.listener = b.listener;
    this.entries = List.copyOf(b.entries);
    this.backoff = b.backoff;
    this.sleeper = b.sleeper;
  }

  public static Builder builder(Clock clock, NoticeListener listener) {
    return new Builder(clock, listener);
  }

  /** Builds a monitor: add each source with its poll interval. */
  public static final class Builder {
    private final Clock clock;
    private final NoticeListener listener;
    private final List<Entry> entries = new ArrayList<>();
    // capped low because a spot notice gives only two minutes
    private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10));
    private Sleeper sleeper = Sleeper.system();

    private Builder(Clock clock, NoticeListener listener) {
      this.clock = Objects.requireNonNull(clock, "clock");
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A source polled every {@code interval}; {@link Duration#ZERO} for a long-polling source. */
    public Builder source(NoticeSource source, Duration interval) {
      Objects.requireNonNull(source, "source");
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("interval must be >= 0, was " + interval);
      }
      for (Entry e : entries) {
        if (e.source().name().equals(source.name())) {
          throw new IllegalArgumentException("two sources named " + source.name());
        }
      }
      entries.add(new Entry(source, interval));
      return this;
    }

    /** The wait after consecutive errors of a source; its first wait is at least the interval. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** How the source threads wait between polls; {@link #close()} interrupts them. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public NoticeMonitor build() {
      return new NoticeMonitor(this);
    }
  }

  /** Starts one thread per source. Idempotent. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (Entry entry : entries) {
      Thread t = new Thread(() -> loop(entry), "notice-" + entry.source().name());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    log.info(
        "watching for termination notices: {}",
        entries.stream().map(e -> e.source().name()).toList());
  }

  public boolean isRunning() {
    return running;
  }

  /** The names of the sources watched. */
  public List<String> sourceNames() {
    return entries.stream().map(e -> e.source().name()).toList();
  }

  /** Every distinct notice reported so far, in no particular order. */
  public List<Notice> reported() {
    return reported.values().stream().map(Reported::notice).toList();
  }

  private void loop(Entry entry) {
    NoticeSource source = entry.source();
    // after an error, never poll sooner than the source is polled without one
    Backoff onError = backoff.startingAt(entry.interval());
    int failures = 0;
    Instant lastLogged = null;
    int suppressed = 0;
    while (running) {
      Duration wait = entry.interval();
      try {
        var notice = source.poll();
        if (failures > 0) {
          log.info("notice source {} answers again after {} failed polls", source.name(), failures);
        }
        failures = 0;
        notice.ifPresent(n -> report(n, source));
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
        Thread.interrupted(); // a stray interrupt: keep watching
      } catch (Exception e) {
        if (!running) {
          break;
        }
        failures++;
        wait = onError.delay(failures);
        Instant now = clock.instant();
        if (lastLogged == null || !now.isBefore(lastLogged.plus(LOG_EVERY))) {
          log.warn(
              "notice source {} failed ({} in a row{}), retrying in {}: {}",
              source.name(),
              failures,
              suppressed > 0 ? ", " + suppressed + " not logged" : "",
              wait,
              e.toString());
          lastLogged = now;
          suppressed = 0;
        } else {
          suppressed++;
        }
      }
      pause(wait);
    }
  }

  private void report(Notice notice, NoticeSource source) {
    if (reported.putIfAbsent(notice.id(), new Reported(notice, source)) != null) {
      return;
    }
    log.info(
        "termination notice {} from {}: kind={} deadline={} ({})",
        notice.id(),
        source.name(),
        notice.kind(),
        notice.deadline(),
        notice.detail());
    try {
      listener.onNotice(notice);
    } catch (RuntimeException e) {
      log.error("notice listener threw on {}", notice.id(), e);
    }
  }

  private void pause(Duration wait) {
    if (wait.isZero() || !running) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      // woken by close(), which has cleared running; a stray interrupt only shortens this wait
    }
  }

  /**
   * Tells the source that produced {@code notice} that the worker has drained for it (Azure:
   * approve the scheduled event; SIGTERM: let the shutdown hook return). Never throws; returns
   * false if the notice is unknown or the source failed.
   */
  public boolean acknowledgeAll(Notice notice) {
    Reported r = reported.get(notice.id());
    if (r == null) {
      log.warn("cannot acknowledge unknown notice {}", notice.id());
      return false;
    }
    try {
      r.source().acknowledge(r.notice());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      log.warn("acknowledging {} at {} failed: {}", notice.id(), r.source().name(), e.toString());
      return false;
    }
  }

  /**
   * The drain is done: acknowledges every notice reported so far at its source (so a SIGTERM that
   * arrived during a drain for another notice also releases the shutdown hook). Never throws.
   */
  public void drainFinished() {
    for (Reported r : reported.values()) {
      acknowledgeAll(r.notice());
    }
  }

  /** Stops the threads (interrupting long polls) and closes the sources. Never throws. */
  @Override
  public void close() {
    List<Thread> toJoin;
    synchronized (this) {
      running = false;
      toJoin = List.copyOf(threads);
      threads.clear();
    }
    for (Thread t : toJoin) {
      t.interrupt();
    }
    for (Thread t : toJoin) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Entry e : entries) {
      try {
        e.source().close();
      } catch (RuntimeException ex) {
        log.warn("closing notice source {} failed: {}", e.source().name(), ex.toString());
      }
    }
  }
}
