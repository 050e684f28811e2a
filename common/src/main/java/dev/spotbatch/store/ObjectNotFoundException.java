package dev.spotbatch.store;

/** The object does not exist (or is not readable by this process). Not transient. */
public class ObjectNotFoundException extends StoreException {
  public ObjectNotFoundException(String message) {
    super(message);
  }
}
