package dev.spotbatch.dispatcher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCliTest {
  static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = SimCli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsATableOfEveryStrategyForAScenarioFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("small.json");
    Files.writeString(f, Scenarios.text("gcp-a100-30s").replace("10000000", "1000000"));
    String out = run("--scenario", f.toString(), "--runs", "2", "--seed", "5");
    assertThat(out)
        .contains("seeds 5..6")
        .contains("| on-demand | - |")
        .contains("| spot | spotbatch |")
        .contains("| spot | restart |")
        .contains("| mixed | spotbatch |")
        .contains("a2-us-central1-a-spot")
        .contains("cheaper");
  }

  @Test
  void listsAndPrintsTheBuiltInScenarios() {
    assertThat(run("--list")).contains("seed-h100:", "a100-regions:", "v100-deep-discount:");
    assertThat(run("--print", "seed-h100")).contains("\"p5.48xlarge\"");
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> run("--runs", "x"))
        .hasMessageContaining("--runs needs a whole number");
    assertThatThrownBy(() -> run("--drain", "maybe"))
        .hasMessageContaining("spotbatch, restart or both");
    assertThatThrownBy(() -> run("--sweep", "0.1,lots")).hasMessageContaining("'lots'");
    assertThatThrownBy(() -> run("--frobnicate"))
        .hasMessageContaining("unknown option --frobnicate");
  }
}
