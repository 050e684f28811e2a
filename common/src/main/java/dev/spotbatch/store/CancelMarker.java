package dev.spotbatch.store;

/**
 * The object that says a job was cancelled: {@code <output URI>/_CANCELLED}, written by the
 * dispatcher when the job is cancelled and read by workers before they start an item and between
 * chunks. It lives beside the job's output because every worker can already read there, on every
 * queue, and it survives a dispatcher restart.
 */
public final class CancelMarker {
  /** The marker's name under the job's output URI. */
  public static final String NAME = "_CANCELLED";

  private CancelMarker() {}

  /** The marker of the job writing to {@code outputUri}. */
  public static StoreUri of(String outputUri) {
    return StoreUri.parse(outputUri).resolve(NAME);
  }
}
