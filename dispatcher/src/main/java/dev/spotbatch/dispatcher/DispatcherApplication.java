package dev.spotbatch.dispatcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The dispatcher: REST job API, planner, event consumer, manifests, fleet and cost. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatcherApplication {
  public static void main(String[] args) {
    SpringApplication.run(DispatcherApplication.class, args);
  }
}
