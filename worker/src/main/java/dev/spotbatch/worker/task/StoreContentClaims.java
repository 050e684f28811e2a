package dev.spotbatch.worker.task;

import dev.spotbatch.codec.Json;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Claims across a whole job, in the object store: one small object per cleaned text, {@code <output
 * URI>/_dedupe/<sha-256>}, created only if absent (a local file linked into place, S3's {@code
 * If-None-Match: *}), holding the record that claimed it ({@code {"id", "input", "offset"}}). The
 * first writer wins on every store and every worker; a record that finds a claim re-reads it, and
 * keeps its text if the claim is its own. Costs one conditional write per record kept and one read
 * per duplicate. Not thread-safe: one per item run.
 */
public final class StoreContentClaims implements ContentClaims {
  /** The folder of claims under a job's output URI. */
  public static final String FOLDER = "_dedupe/";

  private final ObjectStore store;
  private final StoreUri folder;
  private final String input;
  private final Map<String, Owner> seen = new HashMap<>(); // what this run already knows

  private record Owner(String id, String input, long offset) {}

  /**
   * @param output the job's output prefix
   * @param input the item's input object (with the offset, it names a record)
   */
  public StoreContentClaims(ObjectStore store, StoreUri output, String input) {
    this.store = Objects.requireNonNull(store, "store");
    this.folder = output.resolve(FOLDER);
    this.input = Objects.requireNonNull(input, "input");
  }

  @Override
  public Optional<String> claim(String hash, String recordId, long offset) {
    Owner owner = seen.get(hash);
    if (owner == null) {
      owner = claimInStore(hash, new Owner(recordId, input, offset));
      seen.put(hash, owner);
    }
    return owner.input().equals(input) && owner.offset() == offset
        ? Optional.empty()
        : Optional.of(owner.id());
  }

  private Owner claimInStore(String hash, Owner me) {
    StoreUri uri = folder.resolve(hash);
    Map<String, Object> claim = new LinkedHashMap<>();
    claim.put("id", me.id());
    claim.put("input", me.input());
    claim.put("offset", me.offset());
    byte[] body = Json.mapper().writeValueAsBytes(claim);
    if (store.putIfAbsent(uri, body)) {
      return me;
    }
    try (InputStream in = store.read(uri, 0, Long.MAX_VALUE)) {
      JsonNode n = Json.mapper().readTree(in);
      return new Owner(
          n.path("id").asString(), n.path("input").asString(), n.path("offset").asLong(-1));
    } catch (ObjectNotFoundException e) {
      // claims are never deleted while the job runs: a store that lost one is not to be trusted
      throw new IllegalStateException("dedupe claim " + uri + " vanished after it was seen", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
