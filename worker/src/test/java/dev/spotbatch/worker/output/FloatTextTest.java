package dev.spotbatch.worker.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloatTextTest {
  /** JSON's number grammar (RFC 8259, section 6). */
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  @TempDir java.nio.file.Path tmp;

  private static String text(float f) {
    StringBuilder sb = new StringBuilder();
    FloatText.append(sb, f);
    return sb.toString();
  }

  /** Reads back bit for bit, is a JSON number, and is never longer than JDK 17's text. */
  private static void assertRoundTrips(float f) {
    String s = text(f);
    assertThat(Float.floatToRawIntBits(Float.parseFloat(s)))
        .as("%s (bits %08x) read back from %s", f, Float.floatToRawIntBits(f), s)
        .isEqualTo(Float.floatToRawIntBits(f));
    assertThat(s).as("JSON number").matches(JSON_NUMBER);
    String jdk = Float.toString(f);
    assertThat(s.length()).as("%s against the JDK's %s", s, jdk).isLessThanOrEqualTo(jdk.length());
    // the same form as before: E notation exactly where the JDK uses it
    assertThat(s.contains("E")).as("%s against the JDK's %s", s, jdk).isEqualTo(jdk.contains("E"));
  }

  @Test
  void everyRandomFiniteFloatReadsBackIdentically() {
    Random random = new Random(20261202L);
    int checked = 0;
    while (checked < 500_000) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        assertRoundTrips(f);
        checked++;
      }
    }
  }

  @Test
  void embeddingValuesReadBackIdenticallyAndMostlyPrintAsBefore() {
    Random random = new Random(7);
    int differ = 0;
    int total = 0;
    for (int v = 0; v < 2_000; v++) {
      float[] x = new float[384];
      double norm = 0;
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
        norm += x[i] * x[i];
      }
      for (int i = 0; i < x.length; i++) {
        float f = (float) (x[i] / Math.sqrt(norm));
        assertRoundTrips(f);
        total++;
        if (!text(f).equals(Float.toString(f))) {
          differ++; // JDK 17 prints a longer (still correct) text for a few floats
        }
      }
    }
    assertThat(differ).as("texts that differ from JDK 17's, of %d", total).isLessThan(total / 100);
  }

  @Test
  void edgeCasesReadBackIdentically() {
    List<Float> edges =
        new ArrayList<>(
            List.of(
                0.0f,
                -0.0f,
                Float.MIN_VALUE, // the smallest subnormal
                -Float.MIN_VALUE,
                Float.MIN_NORMAL,
                Math.nextDown(Float.MIN_NORMAL), // the largest subnormal
                Float.MAX_VALUE,
                -Float.MAX_VALUE,
                1.0f,
                -1.0f,
                0.1f,
                1.0E-3f,
                Math.nextDown(1.0E-3f),
                1.0E7f,
                Math.nextDown(1.0E7f),
                2.0E-8f,
                1.0E-5f,
                16777216f,
                3.4028235E38f));
    for (int e = -149; e <= 127; e++) {
      edges.add((float) Math.scalb(1.0, e)); // every power of two, subnormals included
    }
    for (int bits = 1; bits < 5_000; bits++) {
      edges.add(Float.intBitsToFloat(bits)); // the low subnormals
    }
    for (float f : edges) {
      assertRoundTrips(f);
    }
    assertThat(text(-0.0f)).isEqualTo("-0.0");
    assertThat(text(0.0f)).isEqualTo("0.0");
    assertThat(text(1.0f)).isEqualTo("1.0");
    assertThat(text(-1.0E-5f)).isEqualTo("-1.0E-5");
    assertThat(text(Float.MIN_VALUE)).isEqualTo("1.4E-45");
    assertThat(text(2.0E-3f)).isEqualTo("0.002");
  }

  @Test
  void nonFiniteValuesAreRefusedAsBefore() {
    try (PartWriter w = new PartWriter(tmp)) {
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        assertThatThrownBy(() -> w.write("r", new float[] {0.5f, bad}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new RecordLine("r").vector("embedding", new float[] {bad}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("non-finite");
      }
    }
  }
}
