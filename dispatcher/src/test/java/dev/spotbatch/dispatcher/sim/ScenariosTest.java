package dev.spotbatch.dispatcher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenariosTest {
  @Test
  void everyBuiltInScenarioLoadsWithAnOnDemandBaselineAndSpot() {
    for (String name : Scenarios.BUILT_IN) {
      Scenario s = Scenarios.load(name);
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.description()).isNotBlank();
      assertThat(s.sources()).isNotEmpty();
      assertThat(s.offers(Strategy.ON_DEMAND)).isTrue();
      assertThat(s.offers(Strategy.SPOT)).isTrue();
    }
  }

  @Test
  void theSeedH100ScenarioHasThePublishedFigures() {
    Scenario s = Scenarios.load("seed-h100");
    assertThat(s.pools())
        .filteredOn(p -> p.kind() == PoolKind.SPOT)
        .allSatisfy(
            p -> {
              assertThat(p.instanceType()).isEqualTo("p5.48xlarge");
              assertThat(p.interruptionsPerHour()).isEqualTo(0.041);
              assertThat(p.noticeSeconds()).isEqualTo(120);
            });
    assertThat(s.poolsFor(Strategy.ON_DEMAND))
        .singleElement()
        .extracting(ScenarioPool::usdPerHour)
        .isEqualTo(98.32);
    assertThat(s.offers(Strategy.BUDGET)).isTrue();
    assertThat(s.market().weekendInterruptionFactor()).isEqualTo(0.6);
  }

  @Test
  void aCopiedAndEditedFileLoadsByPath(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("mine.json");
    Files.writeString(f, Scenarios.text("seed-h100").replace("\"workers\": 8", "\"workers\": 3"));
    assertThat(Scenarios.load(f.toString()).fleet().workers()).isEqualTo(3);
  }

  @Test
  void aMisspeltFieldIsRefusedNotIgnored() {
    String bad =
        Scenarios.text("seed-h100").replace("\"interruptionsPerHour\"", "\"interruptionRate\"");
    assertThatThrownBy(() -> Scenarios.parse(bad, "mine.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mine.json")
        .hasMessageContaining("interruptionRate");
  }

  @Test
  void aBadValueSaysWhichFieldToFix() {
    String bad = Scenarios.text("seed-h100").replace("\"records\": 288000000", "\"records\": -1");
    assertThatThrownBy(() -> Scenarios.parse(bad, "mine.json"))
        .hasMessageContaining("job.records must be > 0");
    String noBaseline = Scenarios.text("gcp-a100-30s").replace("\"ON_DEMAND\"", "\"SPOT\"");
    assertThatThrownBy(() -> Scenarios.parse(noBaseline, "x"))
        .hasMessageContaining("ON_DEMAND pool");
    assertThatThrownBy(() -> Scenarios.load("no-such")).hasMessageContaining("seed-h100");
  }
}
