package dev.spotbatch.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docker/StripNatives.java as the image builds run it (the JDK's source launcher) on jars laid
 * out like ONNX Runtime's and DJL's tokenizers': only the Linux x64 libraries stay.
 */
class StripNativesTest {

  @Test
  void keepsLinuxX64AndDropsOtherPlatformsAndDebugSymbols(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path ort =
        jar(
            lib.resolve("onnxruntime-1.21.1.jar"),
            "ai/onnxruntime/OrtSession.class",
            "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
            "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
            "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
            "ai/onnxruntime/native/win-x64/onnxruntime.dll",
            "ai/onnxruntime/native/win-x64/onnxruntime.pdb",
            "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib",
            "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib.dSYM/Contents/Resources/DWARF/libonnxruntime.dylib");
    Path tokenizers =
        jar(
            lib.resolve("tokenizers-0.36.0.jar"),
            "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
            "native/lib/tokenizers.properties",
            "native/lib/linux-x86_64/cpu/libtokenizers.so",
            "native/lib/win-x86_64/cpu/tokenizers.dll",
            "native/lib/osx-aarch64/cpu/libtokenizers.dylib");
    Path plain = jar(lib.resolve("plain.jar"), "a/B.class");
    long plainModified = Files.getLastModifiedTime(plain).toMillis();

    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Repo.path("docker/StripNatives.java").toString(),
                "linux-x64",
                lib.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    assertThat(entries(ort))
        .containsExactly(
            "ai/onnxruntime/OrtSession.class",
            "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
            "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so");
    assertThat(entries(tokenizers))
        .containsExactly(
            "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
            "native/lib/tokenizers.properties",
            "native/lib/linux-x86_64/cpu/libtokenizers.so");
    assertThat(entries(plain)).containsExactly("a/B.class");
    assertThat(Files.getLastModifiedTime(plain).toMillis())
        .as("a jar with nothing to strip is not rewritten")
        .isEqualTo(plainModified);
    assertThat(output)
        .contains("onnxruntime-1.21.1.jar: 5 entries", "tokenizers-0.36.0.jar: 2 entries");
  }

  static Path jar(Path path, String... names) throws IOException {
    try (OutputStream raw = Files.newOutputStream(path);
        ZipOutputStream out = new ZipOutputStream(raw)) {
      for (String n : names) {
        out.putNextEntry(new ZipEntry(n));
        out.write(n.getBytes());
        out.closeEntry();
      }
    }
    return path;
  }

  static List<String> entries(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      z.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }
}
