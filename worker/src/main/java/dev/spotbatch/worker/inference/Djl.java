package dev.spotbatch.worker.inference;

/** DJL process settings that must be in place before any DJL class initialises. */
public final class Djl {
  private Djl() {}

  /**
   * Turns off DJL's usage reporting and downloads: it would otherwise call 169.254.169.254, the
   * instance-metadata address the worker itself polls.
   */
  public static void offline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
