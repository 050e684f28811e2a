package dev.spotbatch.dispatcher.job;

import java.util.List;

/**
 * What a submission may ask for, and the defaults it gets.
 *
 * @param models the model names workers know
 * @param stagingUri where inline records are written, one {@code <jobId>/records.jsonl} per job
 */
public record JobLimits(
    List<String> models,
    String stagingUri,
    long defaultItemBytes,
    long minItemBytes,
    long maxItemBytes,
    int defaultMaxAttempts,
    int maxMaxAttempts) {
  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  public static final long GIB = 1024 * MIB;

  public JobLimits {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("at least one model must be configured");
    }
  }

  public static JobLimits defaults(List<String> models, String stagingUri) {
    return new JobLimits(models, stagingUri, MIB, KIB, GIB, 3, 20);
  }
}
