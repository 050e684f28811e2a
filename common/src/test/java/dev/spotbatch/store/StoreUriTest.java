package dev.spotbatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and containment of {@link StoreUri}. */
class StoreUriTest {

  @Test
  void parsesS3Locations() {
    StoreUri uri = StoreUri.parse("s3://my-bucket/docs/part-1.jsonl");

    assertThat(uri).isEqualTo(new StoreUri("s3", "my-bucket", "docs/part-1.jsonl"));
    assertThat(uri.toString()).isEqualTo("s3://my-bucket/docs/part-1.jsonl");
    assertThat(uri.name()).isEqualTo("part-1.jsonl");
    assertThat(StoreUri.parse("S3://b/").isPrefix()).isTrue();
  }

  @Test
  void parsesAbsoluteFileLocations() {
    StoreUri uri = StoreUri.parse("file:///data/docs.jsonl");

    assertThat(uri).isEqualTo(new StoreUri("file", "", "data/docs.jsonl"));
    assertThat(uri.toPath()).isEqualTo(Path.of("/data/docs.jsonl"));
    assertThat(uri.toString()).isEqualTo("file:///data/docs.jsonl");
    assertThat(StoreUri.parse(uri.toString())).isEqualTo(uri);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/docs.jsonl",
        "ftp://host/x",
        "gs://bucket/x",
        "relative/path.jsonl",
        "/absolute/without/scheme.jsonl",
        "file:relative.jsonl",
        "file://host/data/x.jsonl",
        "file:///data/../etc/passwd",
        "file:///data/%2e%2e/etc/passwd",
        "file:///data/./x",
        "s3://bucket/a/../b",
        "s3:///no-bucket",
        "s3://bucket/a\\b",
        "",
        "  "
      })
  void rejectsUnsafeOrUnsupportedLocations(String text) {
    assertThatThrownBy(() -> StoreUri.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsTheMetadataAddressWithAMessageThatSaysWhatIsAllowed() {
    assertThatThrownBy(() -> StoreUri.parse("http://169.254.169.254/"))
        .hasMessageContaining("s3://bucket/key")
        .hasMessageContaining("file:///absolute/path");
  }

  @Test
  void containsSegmentWise() {
    StoreUri data = StoreUri.parse("file:///data/a");

    assertThat(data.contains(StoreUri.parse("file:///data/a"))).isTrue();
    assertThat(data.contains(StoreUri.parse("file:///data/a/x.jsonl"))).isTrue();
    assertThat(data.contains(StoreUri.parse("file:///data/ab"))).isFalse();
    assertThat(data.contains(StoreUri.parse("file:///data/ab/x.jsonl"))).isFalse();
    assertThat(data.contains(StoreUri.parse("file:///data"))).isFalse();
    assertThat(StoreUri.parse("s3://b/out/").contains(StoreUri.parse("s3://b/out/p"))).isTrue();
    assertThat(StoreUri.parse("s3://b/out/").contains(StoreUri.parse("s3://c/out/p"))).isFalse();
    assertThat(StoreUri.parse("s3://b/out/").contains(StoreUri.parse("file:///b/out/p"))).isFalse();
  }

  @Test
  void resolvesAndRelativisesBelowAPrefix() {
    StoreUri out = StoreUri.parse("s3://b/out");
    StoreUri part = out.resolve("part-000001.jsonl");

    assertThat(part).isEqualTo(StoreUri.parse("s3://b/out/part-000001.jsonl"));
    assertThat(part.relativeTo(out)).isEqualTo("part-000001.jsonl");
    assertThatThrownBy(() -> out.resolve("../escape")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> out.resolve("/abs")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoreUri.parse("s3://b/other").relativeTo(out))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void makesFileLocationsFromPaths() {
    assertThat(StoreUri.of(Path.of("/data/x/../y.jsonl")))
        .isEqualTo(StoreUri.parse("file:///data/y.jsonl"));
  }
}
