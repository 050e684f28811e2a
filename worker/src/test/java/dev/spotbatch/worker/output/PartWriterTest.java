package dev.spotbatch.worker.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PartWriterTest {
  static final StoreUri OUT = StoreUri.parse("s3://b/out/");
  @TempDir Path tmp;

  @Test
  void writesOneCompactJsonLinePerRecordInOrder() {
    MemoryObjectStore store = new MemoryObjectStore();
    try (PartWriter w = new PartWriter(tmp)) {
      w.write("a", new float[] {0.25f, -1.0E-5f});
      w.write("quote\"and\\newline\n", new float[] {1f});
      PartWriter.Committed c = w.commit(store, OUT, "part-1.jsonl", "_errors/errors-1.jsonl");
      assertThat(c.records()).isEqualTo(2);
      assertThat(c.errorPath()).isNull();
    }
    String text = store.text(OUT.resolve("part-1.jsonl")).orElseThrow();
    assertThat(text).startsWith("{\"id\":\"a\",\"embedding\":[0.25,-1.0E-5]}\n");
    String[] lines = text.split("\n");
    JsonNode second = JsonMapper.builder().build().readTree(lines[1]);
    assertThat(second.get("id").asString()).isEqualTo("quote\"and\\newline\n");
    assertThat(store.text(OUT.resolve("_errors/errors-1.jsonl"))).isEmpty();
    assertThat(tmp.toFile().list()).isEmpty();
  }

  @Test
  void writesAnErrorPartOnlyWhenThereAreRecordErrors() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    try (PartWriter w = new PartWriter(tmp)) {
      w.write("a", new float[] {1f});
      w.error("docs.jsonl:17", 17, "line is not valid JSON");
      PartWriter.Committed c = w.commit(store, OUT, "part-1.jsonl", "_errors/errors-1.jsonl");
      assertThat(c.errors()).isEqualTo(1);
      assertThat(c.errorPath()).isEqualTo("_errors/errors-1.jsonl");
    }
    assertThat(store.text(OUT.resolve("_errors/errors-1.jsonl")).orElseThrow())
        .isEqualTo(
            "{\"id\":\"docs.jsonl:17\",\"offset\":17,\"error\":\"line is not valid JSON\"}\n");
    try (var files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }
}
