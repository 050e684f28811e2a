package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.sim.Estimator;
import dev.spotbatch.dispatcher.sim.Simulator;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the spot-market simulator's cost calculator ({@code POST /api/v1/estimates}). */
@Configuration(proxyBeanMethods = false)
public class SimConfig {

  /**
   * The calculator prices from the application's {@link PriceBook} (its sourced defaults and {@code
   * spotbatch.cost.prices}); where the book has no price for an instance type, the built-in
   * scenario's prices are used (the answer says which).
   */
  @Bean
  Estimator estimator(
      PriceBook prices, Clock clock, @Value("${spotbatch.estimates.seeds:5}") int seeds) {
    return new Estimator(prices, new Simulator(), clock, seeds);
  }
}
