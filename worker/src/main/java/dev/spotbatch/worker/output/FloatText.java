package dev.spotbatch.worker.output;

import tools.jackson.core.io.NumberOutput;

/**
 * Float values as JSON number text: the shortest decimal that reads back as the same float
 * (Raffaello Giulietti's Schubfach, as Jackson ships it, and as {@link Float#toString} prints since
 * JDK 19). JDK 17's {@code Float.toString} takes about three times as long on embedding values, and
 * for a few floats prints more digits than needed; the text here has the same form (a {@code .0} on
 * whole numbers, {@code E} notation below 10^-3 and from 10^7) and always parses back to the
 * identical float ({@code FloatTextTest}).
 */
final class FloatText {
  private FloatText() {}

  /**
   * Appends a finite {@code f}: the callers refuse NaN and infinities first, each with its own
   * message, as they did before this class.
   */
  static void append(StringBuilder sb, float f) {
    sb.append(of(f));
  }

  /** The text of a finite {@code f}: ASCII characters only. */
  static String of(float f) {
    return NumberOutput.toString(f, true);
  }
}
