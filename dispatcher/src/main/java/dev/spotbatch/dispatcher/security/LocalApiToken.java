package dev.spotbatch.dispatcher.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The embedded default's token file, {@code <data-dir>/api-token}: readable and writable by its
 * owner only (0600), replaced atomically so a reader never sees half a token. The client ({@code
 * ./spotbatch}), {@code run-local.sh} and the tests read it, as Jupyter's clients read its token.
 */
public final class LocalApiToken {
  public static final String FILE_NAME = "api-token";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private LocalApiToken() {}

  /** Writes the token to {@code <dataDir>/api-token} (0600) and answers the file. */
  public static Path write(Path dataDir, String token) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    // created owner-only, so the token is never readable by others, not even for a moment
    Path tmp =
        posix
            ? Files.createTempFile(
                dataDir, ".api-token-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dataDir, ".api-token-", ".tmp");
    try {
      if (!posix) {
        var f = tmp.toFile();
        f.setReadable(false, false);
        f.setWritable(false, false);
        f.setReadable(true, true);
        f.setWritable(true, true);
      }
      Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  /** Reads a token file as the clients do: the first line, trimmed. */
  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }
}
