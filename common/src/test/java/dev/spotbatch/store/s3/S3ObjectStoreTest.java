package dev.spotbatch.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.testing.ObjectStoreContract;
import dev.spotbatch.testing.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** Runs the object store contract against {@link S3ObjectStore} on an in-process S3Proxy. */
class S3ObjectStoreTest extends ObjectStoreContract {
  private static final String BUCKET = "spotbatch-test";
  private static S3ProxyServer server;
  private static S3ObjectStore store;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
    store = new S3ObjectStore(server.client(), RetryOptions.defaults().withMaxAttempts(2));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected StoreUri freshPrefix() {
    return StoreUri.parse("s3://" + BUCKET + "/" + UUID.randomUUID() + "/");
  }

  @Test
  void listsAcrossManyPages() {
    for (int i = 0; i < 1005; i++) {
      store.put(root.resolve(String.format("many/%05d", i)), bytes(1));
    }

    assertThat(store.list(root.resolve("many/"))).hasSize(1005);
  }

  @Test
  void streamsAListingOnePageAtATime() {
    for (int i = 0; i < 1005; i++) {
      store.put(root.resolve(String.format("paged/%05d", i)), bytes(1));
    }
    AtomicInteger pages = new AtomicInteger();
    ExecutionInterceptor countPages =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
            if (context.request() instanceof ListObjectsV2Request) {
              pages.incrementAndGet();
            }
          }
        };
    try (S3Client counted =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(S3ProxyServer.REGION)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
            .overrideConfiguration(o -> o.addExecutionInterceptor(countPages))
            .build()) {
      List<Integer> pagesSeenAt = new ArrayList<>();
      new S3ObjectStore(counted)
          .forEachUnder(root.resolve("paged/"), o -> pagesSeenAt.add(pages.get()));

      // the first 1,000 objects arrive before the second page is asked for: nothing is collected
      assertThat(pagesSeenAt).hasSize(1005);
      assertThat(pagesSeenAt.subList(0, 1000)).containsOnly(1);
      assertThat(pagesSeenAt.subList(1000, 1005)).containsOnly(2);
    }
  }

  @Test
  void refusesAFileLocation() {
    assertThatThrownBy(() -> store.stat(StoreUri.parse("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
