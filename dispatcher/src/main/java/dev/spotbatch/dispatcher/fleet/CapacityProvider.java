package dev.spotbatch.dispatcher.fleet;

import java.util.List;

/** The port to worker capacity: how many workers we want, and which ones there are. */
public interface CapacityProvider extends AutoCloseable {

  /** The number of workers wanted. */
  int desired();

  /** Asks for {@code count} workers; the provider launches or stops workers to match. */
  void setDesired(int count);

  /** The workers there are now. */
  List<WorkerView> workers();

  /** Stops every worker; never throws. */
  @Override
  void close();
}
