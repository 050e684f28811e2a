package dev.spotbatch.local;

import dev.spotbatch.dispatcher.config.SpotbatchProperties;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In-memory queues for the local module's web tests ({@code spotbatch.queue.type=memory}), from
 * common's test-jar; the production dispatcher has no such queues.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "memory")
class MemoryQueues {
  @Bean(destroyMethod = "close")
  InMemoryWorkQueue workQueue(Clock clock, SpotbatchProperties props) {
    return new InMemoryWorkQueue(clock, props.queue().maxReceiveCount());
  }

  @Bean(destroyMethod = "close")
  InMemoryEventQueue eventQueue() {
    return new InMemoryEventQueue();
  }
}
