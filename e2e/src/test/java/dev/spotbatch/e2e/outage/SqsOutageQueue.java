package dev.spotbatch.e2e.outage;

import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.testing.ElasticMqServer;
import java.util.List;

/**
 * SQS as ElasticMQ behind a {@link TcpCut}: ElasticMQ holds its messages in memory, so stopping it
 * would lose them, which an SQS outage never does; cutting every connection is what the clients of
 * an unreachable SQS see.
 */
final class SqsOutageQueue implements OutageQueue {
  private final ElasticMqServer sqs;
  private final TcpCut link;

  private SqsOutageQueue(ElasticMqServer sqs, TcpCut link) {
    this.sqs = sqs;
    this.link = link;
  }

  static SqsOutageQueue start() throws Exception {
    ElasticMqServer sqs = ElasticMqServer.start();
    SqsQueues.ensure(sqs.client(), "outage-work", 10);
    SqsQueues.ensure(sqs.client(), "outage-events", 10);
    return new SqsOutageQueue(sqs, new TcpCut(sqs.endpoint().getPort()));
  }

  @Override
  public List<String> clientArguments() {
    return List.of(
        "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + link.port(),
        "--spotbatch.queue.work=outage-work",
        "--spotbatch.queue.events=outage-events");
  }

  @Override
  public String outageKind() {
    return "SQS (ElasticMQ) cut off at the TCP level";
  }

  @Override
  public void takeDown() {
    link.cut();
  }

  @Override
  public void bringBack() {
    link.restore();
  }

  @Override
  public void close() {
    link.close();
    sqs.close();
  }
}
