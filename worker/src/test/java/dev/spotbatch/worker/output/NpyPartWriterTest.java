package dev.spotbatch.worker.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyPartWriterTest {
  static final StoreUri OUT = StoreUri.parse("s3://b/out/");
  @TempDir Path tmp;

  private static byte[] bytes(MemoryObjectStore store, StoreUri uri) throws IOException {
    try (InputStream in = store.read(uri, 0, Long.MAX_VALUE)) {
      return in.readAllBytes();
    }
  }

  @Test
  void writesANumpyFloat32MatrixAndTheIdsRowForRow() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    float[] a = {0.25f, -1.0E-5f, Float.MIN_VALUE};
    float[] b = {1f, -0.33333334f, 123456.79f};
    try (NpyPartWriter w = new NpyPartWriter(tmp, 3)) {
      w.write("a", a);
      w.write("quote\"", b);
      PartWriter.Committed c = w.commit(store, OUT, "part-1.npy", "_errors/errors-1.jsonl");
      assertThat(c.records()).isEqualTo(2);
      assertThat(c.partPath()).isEqualTo("part-1.npy");
      assertThat(c.errorPath()).isNull();
    }

    byte[] npy = bytes(store, OUT.resolve("part-1.npy"));
    assertThat(npy).hasSize(NpyPartWriter.HEADER_BYTES + 2 * 3 * 4);
    assertThat(npy[0]).isEqualTo((byte) 0x93);
    assertThat(new String(npy, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    assertThat(npy[6]).isEqualTo((byte) 1);
    ByteBuffer le = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = le.getShort(8);
    assertThat(10 + headerLength).isEqualTo(NpyPartWriter.HEADER_BYTES).isEqualTo(128);
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header)
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")
        .endsWith("\n");
    le.position(NpyPartWriter.HEADER_BYTES);
    for (float f : a) {
      assertThat(Float.floatToRawIntBits(le.getFloat())).isEqualTo(Float.floatToRawIntBits(f));
    }
    for (float f : b) {
      assertThat(Float.floatToRawIntBits(le.getFloat())).isEqualTo(Float.floatToRawIntBits(f));
    }
    assertThat(store.text(OUT.resolve("part-1.ids.jsonl")))
        .contains("{\"id\":\"a\"}\n{\"id\":\"quote\\\"\"}\n");
    assertThat(store.text(OUT.resolve("_errors/errors-1.jsonl"))).isEmpty();
    assertThat(tmp.toFile().list()).isEmpty();
  }

  @Test
  void anEmptyPartIsAValidZeroRowMatrix() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    try (NpyPartWriter w = new NpyPartWriter(tmp, 384)) {
      w.commit(store, OUT, "part-2.npy", "_errors/errors-2.jsonl");
    }
    byte[] npy = bytes(store, OUT.resolve("part-2.npy"));
    assertThat(new String(npy, 10, 118, StandardCharsets.US_ASCII)).contains("'shape': (0, 384)");
    assertThat(npy).hasSize(NpyPartWriter.HEADER_BYTES);
    assertThat(store.text(OUT.resolve("part-2.ids.jsonl"))).contains("");
  }

  @Test
  void recordErrorsGoToTheJsonLinesErrorPartBeforeTheData() {
    MemoryObjectStore store = new MemoryObjectStore();
    try (NpyPartWriter w = new NpyPartWriter(tmp, 1)) {
      w.write("a", new float[] {1f});
      w.error("docs.jsonl:17", 17, "line is not valid JSON");
      PartWriter.Committed c = w.commit(store, OUT, "part-3.npy", "_errors/errors-3.jsonl");
      assertThat(c.errors()).isEqualTo(1);
      assertThat(c.errorPath()).isEqualTo("_errors/errors-3.jsonl");
    }
    assertThat(store.text(OUT.resolve("_errors/errors-3.jsonl")).orElseThrow())
        .contains("\"offset\":17")
        .contains("line is not valid JSON");
  }

  @Test
  void refusesARowOfTheWrongWidthOrANonFiniteValue() {
    try (NpyPartWriter w = new NpyPartWriter(tmp, 2)) {
      assertThatThrownBy(() -> w.write("a", new float[] {1f}))
          .hasMessageContaining("1 dimensions, the part has 2");
      assertThatThrownBy(() -> w.write("b", new float[] {1f, Float.NaN}))
          .hasMessageContaining("non-finite");
    }
  }

  @Test
  void namesTheIdsBesideTheDataPart() {
    assertThat(NpyPartWriter.idsPath("part-000001-00000000000000-00000000001000.npy"))
        .isEqualTo("part-000001-00000000000000-00000000001000.ids.jsonl");
  }
}
