package dev.spotbatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.fleet.scaling.FallbackScope;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code spotbatch.autoscaler.*} binds onto the core's settings; what is left out keeps its
 * default.
 */
class AutoscalerPropertiesTest {
  static AutoscalerProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("spotbatch.autoscaler", AutoscalerProperties.class);
  }

  @Test
  void givenSettingsMapOntoTheCoreAndTheRestKeepItsDefaults() {
    AutoscalerProperties p =
        bind(
            Map.of(
                "spotbatch.autoscaler.min-workers", "1",
                "spotbatch.autoscaler.max-workers", "7",
                "spotbatch.autoscaler.on-demand-base", "2",
                "spotbatch.autoscaler.scale-in-cooldown", "45s",
                "spotbatch.autoscaler.fallback", "all-work",
                "spotbatch.autoscaler.tick", "3s"));
    ScalingSettings s = p.settings();

    assertThat(p.tick()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.idleAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.minWorkers()).isEqualTo(1);
    assertThat(s.maxWorkers()).isEqualTo(7);
    assertThat(s.onDemandBase()).isEqualTo(2);
    assertThat(s.scaleInCooldown()).isEqualTo(Duration.ofSeconds(45));
    assertThat(s.fallback()).isEqualTo(FallbackScope.ALL_WORK);
    assertThat(s.blockTtl()).isEqualTo(ScalingSettings.defaults().blockTtl());
    assertThat(s.undatedDrainTarget()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aMinimumAboveTheDefaultMaximumRaisesTheMaximum() {
    assertThat(bind(Map.of("spotbatch.autoscaler.min-workers", "12")).settings().maxWorkers())
        .isEqualTo(12);
  }

  @Test
  void aBadCombinationNamesTheSettings() {
    assertThatThrownBy(
            () ->
                bind(Map.of(
                        "spotbatch.autoscaler.min-workers", "5",
                        "spotbatch.autoscaler.max-workers", "2"))
                    .settings())
        .hasMessageContaining("spotbatch.autoscaler")
        .hasMessageContaining("maxWorkers must be >= minWorkers");
  }
}
