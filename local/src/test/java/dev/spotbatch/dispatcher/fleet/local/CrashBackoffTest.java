package dev.spotbatch.dispatcher.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrashBackoffTest {
  @Test
  void aSlotWhoseProcessesNeverGetHealthyWaitsLongerEachTimeUpTo30Seconds() {
    assertThat(CrashBackoff.afterCrash(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(CrashBackoff.afterCrash(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(CrashBackoff.afterCrash(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(CrashBackoff.afterCrash(4)).isEqualTo(Duration.ofSeconds(16));
    assertThat(CrashBackoff.afterCrash(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(CrashBackoff.afterCrash(50)).isEqualTo(Duration.ofSeconds(30));
  }
}
