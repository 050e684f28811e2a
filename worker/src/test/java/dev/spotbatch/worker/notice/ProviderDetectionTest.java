package dev.spotbatch.worker.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.worker.notice.azure.FakeAzureImdsServer;
import dev.spotbatch.worker.notice.gcp.FakeGceMetadataServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Provider detection against the in-process metadata fakes, and against nothing at all. */
class ProviderDetectionTest {
  static URI nothing;

  @BeforeAll
  static void closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      nothing = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  @Test
  void detectsAwsAtALocalImdsEndpoint() {
    try (LocalImdsServer imds = LocalImds.start(InstanceFacts.local("w1"), Clock.systemUTC())) {
      assertThat(detect(new MetadataEndpoints(imds.endpoint(), nothing, imds.endpoint())))
          .isEqualTo(Provider.AWS);
    }
  }

  @Test
  void detectsGcpAndAzureByTheirOwnHeaders() throws Exception {
    try (FakeGceMetadataServer gce = FakeGceMetadataServer.start();
        FakeAzureImdsServer azure = FakeAzureImdsServer.start("vm-1")) {
      assertThat(detect(new MetadataEndpoints(nothing, gce.endpoint(), nothing)))
          .isEqualTo(Provider.GCP);
      // AWS and Azure share an address: the AWS token PUT must not mistake Azure for AWS
      assertThat(detect(new MetadataEndpoints(azure.endpoint(), nothing, azure.endpoint())))
          .isEqualTo(Provider.AZURE);
    }
  }

  @Test
  void findsNothingQuicklyWhenNoServiceAnswers() {
    long start = System.nanoTime();
    assertThat(detect(new MetadataEndpoints(nothing, nothing, nothing))).isEqualTo(Provider.NONE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aConfiguredProviderIsNotProbed() {
    assertThat(
            new ProviderDetection(
                    new MetadataEndpoints(nothing, nothing, nothing), Duration.ofMillis(300))
                .resolve(Provider.GCP))
        .isEqualTo(Provider.GCP);
  }

  @Test
  void endpointsComeFromOverridesThenTheEnvironmentThenDefaults() {
    MetadataEndpoints e =
        MetadataEndpoints.resolve(
            Map.of(
                MetadataEndpoints.AWS_ENV,
                "http://127.0.0.1:1338/",
                MetadataEndpoints.GCP_ENV,
                "127.0.0.1:8080"),
            null,
            null,
            "http://127.0.0.1:9999");
    assertThat(e.aws()).isEqualTo(URI.create("http://127.0.0.1:1338"));
    assertThat(e.gcp()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(e.azure()).isEqualTo(URI.create("http://127.0.0.1:9999"));
    assertThat(MetadataEndpoints.resolve(Map.of(), null, null, null))
        .isEqualTo(MetadataEndpoints.defaults());
  }

  private static Provider detect(MetadataEndpoints endpoints) {
    return new ProviderDetection(endpoints, Duration.ofMillis(300)).detect();
  }
}
