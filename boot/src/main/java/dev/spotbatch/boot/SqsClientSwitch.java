package dev.spotbatch.boot;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the Spring Cloud AWS SQS client off when the queues are not on SQS ({@code
 * spotbatch.queue.type=kafka} or {@code memory}), so that no SQS or AWS setting is needed then: the
 * client's auto-configuration would otherwise fail at startup without a region. An explicit {@code
 * spring.cloud.aws.sqs.enabled} still wins (this default has the lowest precedence).
 */
public final class SqsClientSwitch implements EnvironmentPostProcessor, Ordered {
  static final String SOURCE = "spotbatchSqsClientSwitch";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String type = environment.getProperty("spotbatch.queue.type", "sqs");
    if (!QueueProperties.Type.SQS.name().equalsIgnoreCase(type.trim())) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource(SOURCE, Map.of("spring.cloud.aws.sqs.enabled", "false")));
    }
  }

  /** After the application's configuration files are read. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
