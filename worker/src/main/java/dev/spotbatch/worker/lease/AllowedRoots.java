package dev.spotbatch.worker.lease;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.StoreUri;
import java.util.List;
import java.util.Optional;

/**
 * The locations a worker may read and write. An item whose input or output lies outside them fails
 * terminally. An empty list allows every location (the worker warns at startup).
 */
public final class AllowedRoots {
  private final List<StoreUri> roots;

  public AllowedRoots(List<StoreUri> roots) {
    this.roots = roots.stream().map(StoreUri::asPrefix).toList();
  }

  public static AllowedRoots any() {
    return new AllowedRoots(List.of());
  }

  public List<StoreUri> roots() {
    return roots;
  }

  /** Why the item may not run here, or empty if it may. */
  public Optional<String> violation(WorkItem item) {
    StoreUri input;
    StoreUri output;
    try {
      input = StoreUri.parse(item.inputUri());
      output = StoreUri.parse(item.outputUri());
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (!allows(input)) {
      return Optional.of("input " + input + " is outside the worker's allowed roots " + roots);
    }
    if (!allows(output)) {
      return Optional.of("output " + output + " is outside the worker's allowed roots " + roots);
    }
    return Optional.empty();
  }

  boolean allows(StoreUri uri) {
    if (roots.isEmpty()) {
      return true;
    }
    for (StoreUri root : roots) {
      if (root.contains(uri)) {
        return true;
      }
    }
    return false;
  }
}
