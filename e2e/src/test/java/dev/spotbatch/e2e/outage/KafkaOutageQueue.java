package dev.spotbatch.e2e.outage;

import dev.spotbatch.localcloud.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A single-node KRaft broker that is really stopped and started again on its logs (records, the
 * share groups' state and the events group's progress survive, as on a real broker). Kafka's test
 * kit binds a new port on every start, so the broker advertises a fixed address held by a {@link
 * TcpCut} relay, where clients also bootstrap (what a DNS name or a load balancer is for a real
 * cluster): clients that lost the broker find it again where it was.
 */
final class KafkaOutageQueue implements OutageQueue {
  private final Path directory;
  private final TcpCut address;
  private LocalKafkaBroker broker;

  private KafkaOutageQueue(Path directory, TcpCut address) {
    this.directory = directory;
    this.address = address;
  }

  static KafkaOutageQueue start(Path directory) throws IOException {
    KafkaOutageQueue q = new KafkaOutageQueue(directory, new TcpCut(0));
    q.bringBack();
    return q;
  }

  @Override
  public List<String> clientArguments() {
    return List.of(
        "--spotbatch.queue.type=kafka",
        "--spotbatch.queue.kafka.bootstrap-servers=localhost:" + address.port(),
        "--spotbatch.queue.work=outage-work",
        "--spotbatch.queue.events=outage-events",
        // leases as long as the SQS variant's visibility timeout
        "--spotbatch.queue.kafka.lock-duration=20s");
  }

  @Override
  public String outageKind() {
    return "the Kafka broker stopped and started again on its logs";
  }

  @Override
  public void takeDown() {
    address.cut();
    broker.close();
    broker = null;
  }

  @Override
  public void bringBack() {
    broker =
        LocalKafkaBroker.start(
            directory, Map.of("advertised.listeners", "EXTERNAL://localhost:" + address.port()));
    address.retarget(broker.boundPort());
    address.restore();
  }

  @Override
  public void close() {
    address.close();
    if (broker != null) {
      broker.close();
    }
  }
}
