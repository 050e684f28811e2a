package dev.spotbatch.worker.inference;

/** The message of a failure, or its type when it has none. */
final class ItemReason {
  private ItemReason() {}

  static String of(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }
}
