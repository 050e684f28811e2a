package dev.spotbatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageRootsTest {
  private static final String SETTING = "spotbatch.storage.allowed-roots";
  private final StorageRoots roots =
      StorageRoots.of(SETTING, List.of("file:///data", "s3://bucket/in/"));

  @Test
  void allowsTheRootsAndWhatLiesBelowThem() {
    assertThat(roots.check("file:///data/docs.jsonl"))
        .isEqualTo(StoreUri.parse("file:///data/docs.jsonl"));
    assertThat(roots.check("file:///data/")).isNotNull();
    assertThat(roots.check("s3://bucket/in/a/b.jsonl")).isNotNull();
    assertThat(roots.roots())
        .containsExactly(StoreUri.parse("file:///data/"), StoreUri.parse("s3://bucket/in/"));
  }

  @Test
  void anEmptyListIsRefusedRatherThanMeaningAnythingOrNothing() {
    assertThatThrownBy(() -> StorageRoots.of(SETTING, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SETTING)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> StorageRoots.of(SETTING, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInvalidRootNamesTheSetting() {
    assertThatThrownBy(() -> StorageRoots.of(SETTING, List.of("http://example.com/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(SETTING + ": ");
  }

  @Test
  void aSiblingThatSharesThePrefixIsNotBelowTheRoot() {
    assertRefused("file:///data2/docs.jsonl", "outside the allowed storage roots");
    assertRefused("file:///data2", "outside the allowed storage roots");
    assertRefused("s3://bucket/input/x.jsonl", "outside the allowed storage roots");
    assertRefused("s3://bucket2/in/x.jsonl", "outside the allowed storage roots");
  }

  @Test
  void anotherSchemeIsNotBelowTheRoot() {
    assertRefused("s3://data/docs.jsonl", "outside the allowed storage roots");
    assertRefused("file:///bucket/in/x.jsonl", "outside the allowed storage roots");
    assertRefused("https://bucket/in/x.jsonl", "http and other schemes are not allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///data/../etc/passwd",
        "file:///data/in/../../etc/passwd",
        "s3://bucket/in/../secret/x",
      })
  void aPathWithDotDotIsRefused(String location) {
    assertRefused(location, "'..'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///data/%2e%2e/etc/passwd",
        "file:///data/%2E%2E/etc/passwd",
        "file:///data/.%2e/etc/passwd",
        "s3://bucket/in/%2e%2e/secret/x",
        "file:///data/%2e/docs.jsonl",
      })
  void anEncodedDotSegmentIsRefused(String location) {
    assertRefused(location, "segments");
  }

  @Test
  void anInstanceMetadataAddressIsRefused() {
    StorageRoots everywhere = StorageRoots.of(SETTING, List.of("s3://169.254.169.254/"));
    assertThatThrownBy(() -> everywhere.check("s3://169.254.169.254/latest/meta-data/"))
        .hasMessageContaining("instance-metadata");
  }

  @Test
  void theMessageSaysWhereToLookAndWhatToConfigure() {
    assertThatThrownBy(() -> roots.check("file:///etc/passwd"))
        .hasMessageContaining("file:///data/, s3://bucket/in/")
        .hasMessageContaining("configure " + SETTING);
    assertThatThrownBy(() -> roots.check(" ")).hasMessageContaining("a location is required");
  }

  private void assertRefused(String location, String why) {
    assertThatThrownBy(() -> roots.check(location))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }
}
