package dev.spotbatch.worker.notice.gcp;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.http.MetadataException;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * GCP preemption (spot and preemptible VMs): {@code instance/preempted} becomes {@code TRUE} about
 * 30 seconds before the VM stops. The first poll reads the value and its ETag; every later poll is
 * a hanging {@code ?wait_for_change=true&last_etag=<etag>&timeout_sec=<n>} GET that returns when
 * the value changes (at once if it already differs from that ETag) or after {@code n} seconds with
 * the unchanged value. A timeout of the hanging GET is "no notice", not an error. The monitor runs
 * this source without a pause between polls.
 */
public final class GcpPreemptionNoticeSource implements NoticeSource {
  static final String PATH = "instance/preempted";

  /** GCP's documented preemption notice: 30 seconds. */
  public static final Duration GCP_PREEMPTION_WARNING = Duration.ofSeconds(30);

  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  private final GcpMetadataClient metadata;
  private final Clock clock;
  private final Duration wait;
  private volatile boolean primed;
  private volatile String etag;
  private volatile Notice last;

  public GcpPreemptionNoticeSource(GcpMetadataClient metadata, Clock clock, Duration wait) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (wait.toSeconds() < 1) {
      throw new IllegalArgumentException("wait must be at least 1 s, was " + wait);
    }
    this.wait = wait;
  }

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public Optional<Notice> poll() throws Exception {
    String known = etag;
    Optional<GcpMetadataClient.Value> value;
    try {
      if (!primed) {
        value = metadata.fetch(PATH, GcpMetadataClient.DEFAULT_TIMEOUT);
      } else {
        // without a known ETag (a server that sends none) the wait still hangs until a change
        String query =
            PATH
                + "?wait_for_change=true&timeout_sec="
                + wait.toSeconds()
                + (known == null
                    ? ""
                    : "&last_etag=" + URLEncoder.encode(known, StandardCharsets.UTF_8));
        // the server answers after timeout_sec; give it a few seconds more before we give up
        value = metadata.fetch(query, wait.plusSeconds(5));
      }
    } catch (HttpTimeoutException e) {
      return current(); // nothing changed within the wait
    }
    if (value.isEmpty()) {
      etag = null;
      primed = false;
      // every VM has instance/preempted: a 404 is an error, and the monitor's backoff keeps this
      // zero-interval source from spinning
      throw new MetadataException("GCE metadata has no " + PATH, 404);
    }
    primed = true;
    if (value.get().etag() != null) {
      etag = value.get().etag();
    }
    if (!value.get().body().trim().equalsIgnoreCase("TRUE")) {
      last = null;
      return Optional.empty();
    }
    if (last == null) {
      var now = clock.instant();
      last =
          new Notice(
              "gcp-preempted",
              NoticeKind.GCP_PREEMPTION,
              null,
              now.plus(GCP_PREEMPTION_WARNING),
              now,
              "instance/preempted=TRUE");
    }
    return Optional.of(last);
  }

  private Optional<Notice> current() {
    return Optional.ofNullable(last);
  }
}
