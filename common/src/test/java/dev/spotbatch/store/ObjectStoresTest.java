package dev.spotbatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.store.local.LocalObjectStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {
  @TempDir Path data;

  /** Records which listing call reached the adapter. */
  static final class Recording implements ObjectStore {
    final List<String> calls = new ArrayList<>();
    private final ObjectStore real;

    Recording(ObjectStore real) {
      this.real = real;
    }

    @Override
    public InputStream read(StoreUri uri, long start, long end) {
      return real.read(uri, start, end);
    }

    @Override
    public Optional<ObjectInfo> stat(StoreUri uri) {
      return real.stat(uri);
    }

    @Override
    public void put(StoreUri uri, Path file) {
      real.put(uri, file);
    }

    @Override
    public void put(StoreUri uri, byte[] bytes) {
      real.put(uri, bytes);
    }

    @Override
    public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
      return real.putIfAbsent(uri, bytes);
    }

    @Override
    public List<ObjectInfo> list(StoreUri prefix) {
      calls.add("list");
      return real.list(prefix);
    }

    @Override
    public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
      calls.add("forEachUnder");
      real.forEachUnder(prefix, each);
    }

    @Override
    public void delete(StoreUri uri) {
      real.delete(uri);
    }
  }

  @Test
  void aStreamedListingReachesTheAdaptersOwnStreamingNotItsList() throws Exception {
    Files.write(data.resolve("a.jsonl"), new byte[3]);
    Recording file = new Recording(new LocalObjectStore(List.of(data)));
    ObjectStores stores = new ObjectStores(Map.of(StoreUri.FILE, file));

    List<ObjectInfo> seen = new ArrayList<>();
    stores.forEachUnder(StoreUri.of(data).asPrefix(), seen::add);

    assertThat(seen).extracting(ObjectInfo::size).containsExactly(3L);
    assertThat(file.calls).containsExactly("forEachUnder");
  }
}
