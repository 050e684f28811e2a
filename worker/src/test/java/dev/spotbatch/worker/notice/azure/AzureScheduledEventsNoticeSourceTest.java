package dev.spotbatch.worker.notice.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Azure source against a fake IMDS that answers Scheduled Events as Microsoft documents. */
class AzureScheduledEventsNoticeSourceTest {
  MutableClock clock = new MutableClock(Instant.parse("2016-09-19T18:29:00Z"));
  FakeAzureImdsServer azure;
  AzureMetadataClient client;

  @BeforeEach
  void start() throws Exception {
    azure = FakeAzureImdsServer.start("worker-vm-7");
    client = new AzureMetadataClient(azure.endpoint(), new MetadataHttp());
  }

  @AfterEach
  void stop() {
    azure.close();
  }

  @Test
  void noEventsIsNoNotice() throws Exception {
    assertThat(new AzureScheduledEventsNoticeSource(client, clock, "worker-vm-7").poll()).isEmpty();
  }

  @Test
  void preemptForThisVmIsANoticeDueAtNotBefore() throws Exception {
    azure.schedule(
        "602d9444-d2cd-49c7-8624-8643e7171297",
        "Preempt",
        "worker-vm-7",
        "Mon, 19 Sep 2016 18:29:47 GMT");

    Notice notice =
        new AzureScheduledEventsNoticeSource(client, clock, null)
            .poll()
            .orElseThrow(); // name from IMDS

    assertThat(notice.id()).isEqualTo("602d9444-d2cd-49c7-8624-8643e7171297");
    assertThat(notice.kind()).isEqualTo(NoticeKind.AZURE_PREEMPT);
    assertThat(notice.deadline()).isEqualTo(Instant.parse("2016-09-19T18:29:47Z"));
    assertThat(notice.detectedAt()).isEqualTo(clock.instant());
  }

  @Test
  void terminateForThisVmIsANotice() throws Exception {
    azure.schedule("e1", "Terminate", "worker-vm-7", "Mon, 19 Sep 2016 18:34:00 GMT");
    assertThat(new AzureScheduledEventsNoticeSource(client, clock, "worker-vm-7").poll())
        .map(Notice::kind)
        .contains(NoticeKind.AZURE_TERMINATE);
  }

  @Test
  void ignoresEventsForOtherVmsAndRebootsOfThisOne() throws Exception {
    azure.schedule("e1", "Preempt", "another-vm", "Mon, 19 Sep 2016 18:29:47 GMT");
    azure.schedule("e2", "Reboot", "worker-vm-7", "Mon, 19 Sep 2016 18:29:47 GMT");
    assertThat(new AzureScheduledEventsNoticeSource(client, clock, "worker-vm-7").poll()).isEmpty();
  }

  @Test
  void acknowledgementPostsAStartRequestForTheEvent() throws Exception {
    azure.schedule(
        "602d9444-d2cd-49c7-8624-8643e7171297",
        "Preempt",
        "worker-vm-7",
        "Mon, 19 Sep 2016 18:29:47 GMT");
    AzureScheduledEventsNoticeSource source =
        new AzureScheduledEventsNoticeSource(client, clock, "worker-vm-7");

    source.acknowledge(source.poll().orElseThrow());

    assertThat(azure.acknowledgements()).hasSize(1);
    assertThat(JsonMapper.builder().build().readTree(azure.acknowledgements().get(0)))
        .isEqualTo(
            JsonMapper.builder()
                .build()
                .readTree(
                    "{\"StartRequests\":[{\"EventId\":\"602d9444-d2cd-49c7-8624-8643e7171297\"}]}"));
  }

  @Test
  void fakeRejectsARequestWithoutTheMetadataHeader() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        azure.endpoint().resolve(AzureScheduledEventsNoticeSource.EVENTS_PATH))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void loadsInstanceFacts() throws Exception {
    assertThat(AzureInstanceFacts.load(client))
        .isEqualTo(
            new InstanceFacts(
                "azure",
                "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
                "Standard_D4s_v5",
                "eastus",
                "eastus-2",
                Lifecycle.SPOT));
  }
}
