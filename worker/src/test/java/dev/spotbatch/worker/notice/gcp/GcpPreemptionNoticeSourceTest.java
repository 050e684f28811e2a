package dev.spotbatch.worker.notice.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.http.MetadataException;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GCP source against a fake GCE metadata server with hanging GETs and ETags. */
class GcpPreemptionNoticeSourceTest {
  MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
  FakeGceMetadataServer gce;
  GcpMetadataClient client;

  @BeforeEach
  void start() throws Exception {
    gce = FakeGceMetadataServer.start();
    client = new GcpMetadataClient(gce.endpoint(), new MetadataHttp());
  }

  @AfterEach
  void stop() {
    gce.close();
  }

  @Test
  void hangingGetReturningTrueIsAPreemptionNotice() throws Exception {
    GcpPreemptionNoticeSource source =
        new GcpPreemptionNoticeSource(client, clock, Duration.ofSeconds(5));
    assertThat(source.poll()).isEmpty(); // FALSE, and the ETag is known now

    CompletableFuture<Optional<Notice>> hanging = CompletableFuture.supplyAsync(() -> poll(source));
    Thread.sleep(200);
    assertThat(hanging).isNotDone();
    gce.set("instance/preempted", "TRUE");

    Notice notice = hanging.get().orElseThrow();
    assertThat(notice.kind()).isEqualTo(NoticeKind.GCP_PREEMPTION);
    assertThat(notice.deadline()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(gce.queries().get(1)).contains("wait_for_change=true").contains("last_etag=");
  }

  @Test
  void alreadyPreemptedIsSeenOnTheFirstPoll() throws Exception {
    gce.set("instance/preempted", "TRUE");
    GcpPreemptionNoticeSource source =
        new GcpPreemptionNoticeSource(client, clock, Duration.ofSeconds(1));
    Notice notice = source.poll().orElseThrow();
    // the ETag now matches TRUE: the next wait hangs instead of returning at once
    assertThat(source.poll()).contains(notice);
  }

  @Test
  void hangingGetTimingOutIsNoNotice() throws Exception {
    GcpPreemptionNoticeSource source =
        new GcpPreemptionNoticeSource(client, clock, Duration.ofSeconds(1));
    source.poll();
    long start = System.nanoTime();
    assertThat(source.poll()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void rejectsAnAnswerWithoutMetadataFlavor() {
    gce.withoutFlavorHeader();
    GcpPreemptionNoticeSource source =
        new GcpPreemptionNoticeSource(client, clock, Duration.ofSeconds(1));
    assertThatThrownBy(source::poll)
        .isInstanceOf(MetadataException.class)
        .hasMessageContaining("Metadata-Flavor");
  }

  @Test
  void fakeRejectsARequestWithoutMetadataFlavor() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        gce.endpoint().resolve("/computeMetadata/v1/instance/preempted"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void loadsInstanceFacts() throws Exception {
    assertThat(GcpInstanceFacts.load(client))
        .isEqualTo(
            new InstanceFacts(
                "gcp",
                "4520031799277581759",
                "n2-standard-4",
                "us-central1",
                "us-central1-a",
                Lifecycle.SPOT));
  }

  private static Optional<Notice> poll(GcpPreemptionNoticeSource source) {
    try {
      return source.poll();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
