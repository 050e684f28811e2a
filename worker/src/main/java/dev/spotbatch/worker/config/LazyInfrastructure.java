package dev.spotbatch.worker.config;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.MethodMetadata;

/**
 * Which beans wait for their first use. {@code spring.main.lazy-initialization=true} (in {@code
 * application.properties}) makes Spring Boot's and Actuator's own beans (MVC handler mappings and
 * adapters, endpoint discovery, JSON mappers, health infrastructure) on the first HTTP request
 * instead of before the first lease; the worker's own beans, and the clients they use, stay eager,
 * so a bad setting still fails the start and nothing on the way to the first lease waits for a
 * request. Measured in docs/BENCHMARKS.md (worker start-up).
 */
@Configuration(proxyBeanMethods = false)
class LazyInfrastructure {
  private static final String OURS = "dev.spotbatch.";

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
