package dev.spotbatch.dispatcher.fleet.local;

/** Why the fleet refused an interruption. */
public final class FleetExceptions {
  private FleetExceptions() {}

  /** No worker has this id. */
  public static final class UnknownWorkerException extends RuntimeException {
    private final String workerId;

    public UnknownWorkerException(String workerId, String message) {
      super(message);
      this.workerId = workerId;
    }

    public String workerId() {
      return workerId;
    }
  }

  /** The worker exists but cannot be interrupted now (not running, or already interrupted). */
  public static final class WorkerNotInterruptibleException extends RuntimeException {
    private final String workerId;

    public WorkerNotInterruptibleException(String workerId, String message) {
      super(message);
      this.workerId = workerId;
    }

    public String workerId() {
      return workerId;
    }
  }
}
