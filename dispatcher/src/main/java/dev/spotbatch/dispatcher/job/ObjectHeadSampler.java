package dev.spotbatch.dispatcher.job;

import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the head of an input object (one ranged GET of at most {@code sampleBytes}) and divides the
 * bytes of its complete lines by their number. Planning itself reads no data; this runs once per
 * object, when the autoscaler or an ETA first asks about a job without committed parts, and its
 * answer is kept. A head that is not representative (a long header record) only skews the first
 * sizing: the job's own committed parts replace it as soon as there are some.
 */
public final class ObjectHeadSampler implements RecordSampler {
  private static final Logger log = LoggerFactory.getLogger(ObjectHeadSampler.class);

  private final ObjectStore store;
  private final int sampleBytes;
  private final Map<String, OptionalDouble> known = new ConcurrentHashMap<>();

  public ObjectHeadSampler(ObjectStore store, int sampleBytes) {
    this.store = store;
    if (sampleBytes < 1) {
      throw new IllegalArgumentException("sampleBytes must be >= 1");
    }
    this.sampleBytes = sampleBytes;
  }

  @Override
  public OptionalDouble bytesPerRecord(String objectUri) {
    return known.computeIfAbsent(objectUri, this::sample);
  }

  private OptionalDouble sample(String objectUri) {
    try {
      StoreUri uri = StoreUri.parse(objectUri);
      Optional<ObjectInfo> info = store.stat(uri);
      if (info.isEmpty() || info.get().size() == 0) {
        return OptionalDouble.empty();
      }
      long size = info.get().size();
      long end = Math.min(size, sampleBytes);
      long lines = 0;
      long lastLineEnd = 0;
      long pos = 0;
      try (InputStream in = store.read(uri, 0, end)) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              lines++;
              lastLineEnd = pos + i + 1;
            }
          }
          pos += n;
        }
      }
      if (lines == 0) {
        // no line ends in the head: the whole object is one record if it was read whole
        return end == size ? OptionalDouble.of(size) : OptionalDouble.empty();
      }
      return OptionalDouble.of(lastLineEnd / (double) lines);
    } catch (RuntimeException | IOException e) {
      log.info("could not sample {} for its record size: {}", objectUri, e.toString());
      return OptionalDouble.empty();
    }
  }
}
