package dev.spotbatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiTokenTest {
  @TempDir Path dir;

  @Test
  void theTokenFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = LocalApiToken.write(dir.resolve("data"), "tok-1");

    assertThat(file).isEqualTo(dir.resolve("data/api-token"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(LocalApiToken.read(file)).isEqualTo("tok-1");
  }

  @Test
  void aNewStartReplacesTheOldTokenAndLeavesNoTemporaryFile() throws Exception {
    Path old = dir.resolve("api-token");
    Files.writeString(old, "old\n");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

    LocalApiToken.write(dir, "new");

    assertThat(LocalApiToken.read(old)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(old);
    }
  }
}
