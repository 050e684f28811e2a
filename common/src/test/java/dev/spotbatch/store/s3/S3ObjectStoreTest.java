package dev.spotbatch.store.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.testing.ObjectStoreContract;
import dev.spotbatch.testing.S3ProxyServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    org.assertj.core.api.Assertions.assertThat(store.list(root.resolve("many/"))).hasSize(1005);
  }

  @Test
  void refusesAFileLocation() {
    assertThatThrownBy(() -> store.stat(StoreUri.parse("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
