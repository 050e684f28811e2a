package dev.spotbatch.worker.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.s3.S3ObjectStore;
import dev.spotbatch.testing.S3ProxyServer;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.testing.Fixture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor reading and writing through the S3 adapter, against an in-process S3Proxy. */
class ItemProcessorS3Test {
  static S3ProxyServer s3;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start();
    s3.createBucket("data");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void readsItsRangeFromS3AndPutsThePartsThere() throws Exception {
    S3ObjectStore store = new S3ObjectStore(s3.client());
    String lines =
        "{\"id\":\"a\",\"text\":\"alpha\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"text\":\"gamma\"}\n";
    store.put(StoreUri.parse("s3://data/in/docs.jsonl"), lines.getBytes(StandardCharsets.UTF_8));
    try (Fixture f = new Fixture(store, tmp, Fixture.roots("s3://data/"))) {
      f.queue.send(
          List.of(
              Fixture.item(
                  "i1", "s3://data/in/docs.jsonl", lines.length(), "s3://data/out/", 0, 3)));

      assertThat(f.processor.process(f.leaseOne())).isEqualTo(ItemOutcome.COMPLETED);

      ItemCompleted done = (ItemCompleted) f.drainEvents().get(0);
      assertThat(done.part().records()).isEqualTo(2);
      assertThat(done.errorPart().records()).isEqualTo(1);
      try (InputStream in =
          store.read(StoreUri.parse("s3://data/out/" + done.part().path()), 0, Long.MAX_VALUE)) {
        String part = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(part)
            .startsWith("{\"id\":\"a\",\"embedding\":[5.0,0.5]}\n")
            .contains("\"id\":\"c\"");
      }
      assertThat(store.stat(StoreUri.parse("s3://data/out/" + done.errorPart().path())))
          .isPresent();
    }
  }
}
