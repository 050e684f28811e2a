package dev.spotbatch.worker.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.MethodMetadata;

/**
 * Which beans wait until the worker leases. {@code spring.main.lazy-initialization=true} (in {@code
 * application.properties}) leaves Spring Boot's and Actuator's own beans (MVC handler mappings and
 * adapters, endpoint discovery, JSON mappers, health infrastructure) out of the context's refresh;
 * once the lease loop runs, thread {@code spotbatch-lazy-init} makes them (or the first HTTP
 * request does, whichever comes first), so a health probe soon after the start answers as quickly
 * as before. The worker's own beans, and the clients they use, stay eager, so a bad setting still
 * fails the start. Measured in docs/BENCHMARKS.md (worker start-up).
 */
@Configuration(proxyBeanMethods = false)
class LazyInfrastructure {
  private static final Logger log = LoggerFactory.getLogger(LazyInfrastructure.class);
  private static final String OURS = "dev.spotbatch.";

  /** Once the worker runs: the beans left out of the refresh, on a thread of their own. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> makeLazyBeansOnceLeasing() {
    return ready -> {
      ConfigurableListableBeanFactory factory = ready.getApplicationContext().getBeanFactory();
      Thread thread =
          new Thread(
              () -> {
                long t0 = System.nanoTime();
                int made = 0;
                for (String name : factory.getBeanDefinitionNames()) {
                  try {
                    BeanDefinition definition = factory.getBeanDefinition(name);
                    if (definition.isLazyInit()
                        && definition.isSingleton()
                        && !definition.isAbstract()) {
                      factory.getBean(name);
                      made++;
                    }
                  } catch (RuntimeException e) {
                    // made on first use instead, where its error belongs to that use
                    log.debug("bean {} left to its first use: {}", name, e.toString());
                  }
                }
                log.debug(
                    "{} lazy beans made in {} ms", made, (System.nanoTime() - t0) / 1_000_000);
              },
              "spotbatch-lazy-init");
      thread.setDaemon(true);
      thread.start();
    };
  }

  /** Static: read while bean definitions are post-processed, before any bean is made. */
  @Bean
  static LazyInitializationExcludeFilter workerBeansStayEager() {
    return (name, definition, type) -> type.getName().startsWith(OURS) || declaredByUs(definition);
  }

  /** A {@code @Bean} method of one of the worker's configuration classes. */
  static boolean declaredByUs(BeanDefinition definition) {
    if (definition instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata method = annotated.getFactoryMethodMetadata();
      if (method != null) {
        return method.getDeclaringClassName().startsWith(OURS);
      }
      return annotated.getMetadata().getClassName().startsWith(OURS);
    }
    String className = definition.getBeanClassName();
    return className != null && className.startsWith(OURS);
  }
}
