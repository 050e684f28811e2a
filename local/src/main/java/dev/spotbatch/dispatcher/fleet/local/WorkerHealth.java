package dev.spotbatch.dispatcher.fleet.local;

import java.util.List;

/**
 * What a worker's {@code /actuator/health} said (component {@code worker}); details it does not
 * report are null.
 *
 * @param status overall status ({@code UP}, {@code OUT_OF_SERVICE}, ...)
 */
public record WorkerHealth(
    String status, Integer activeLeases, List<Object> leases, Boolean draining) {
  public boolean up() {
    return "UP".equals(status);
  }
}
