package dev.spotbatch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Point(int x, int y) {}

  @Test
  void readsADocumentWithFieldsItDoesNotKnow() {
    assertThat(Json.mapper().readValue("{\"x\":1,\"y\":2,\"z\":3}", Point.class))
        .isEqualTo(new Point(1, 2));
  }

  @Test
  void thePrettyWriterIndentsAndTheMapperDoesNot() {
    Map<String, Integer> doc = Map.of("a", 1);
    assertThat(Json.mapper().writeValueAsString(doc)).isEqualTo("{\"a\":1}");
    assertThat(Json.prettyWriter().writeValueAsString(doc)).contains("\n").contains("\"a\" : 1");
  }

  @Test
  void everyoneSharesOneMapper() {
    assertThat(Json.mapper()).isSameAs(Json.mapper());
  }
}
