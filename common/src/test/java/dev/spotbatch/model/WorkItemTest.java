package dev.spotbatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkItemTest {
  private final WorkItem item =
      new WorkItem(
          "job",
          "job-000007",
          7,
          "all-minilm-l6-v2",
          "file:///d/in.jsonl",
          "in.jsonl",
          new ByteRange(1000, 5000),
          InputFormat.JSONL,
          "text",
          "id",
          "file:///d/out/",
          Attempts.NONE,
          3);

  @Test
  void namesPartsByIndexStartAndEndSoACheckpointNeverOverwritesAFullRun() {
    assertThat(item.partPath()).isEqualTo("part-000007-00000000001000-00000000005000.jsonl");
    assertThat(item.partPath(2500)).isEqualTo("part-000007-00000000001000-00000000002500.jsonl");
    assertThat(item.errorPartPath(2500))
        .isEqualTo("_errors/errors-000007-00000000001000-00000000002500.jsonl");
    WorkItem rest = item.continueFrom(2500);
    assertThat(rest.partPath()).isEqualTo("part-000007-00000000002500-00000000005000.jsonl");
  }

  @Test
  void anNpyItemNamesItsDataPartsNpyAndKeepsItsErrorPartsJsonLines() {
    WorkItem npy = withFormat(OutputFormat.NPY);
    assertThat(npy.partPath(2500)).isEqualTo("part-000007-00000000001000-00000000002500.npy");
    assertThat(npy.errorPartPath(2500))
        .isEqualTo("_errors/errors-000007-00000000001000-00000000002500.jsonl");
    WorkItem rest = npy.afterFailure().continueFrom(2500);
    assertThat(rest.outputFormat()).isEqualTo(OutputFormat.NPY);
    assertThat(rest.partPath()).isEqualTo("part-000007-00000000002500-00000000005000.npy");
    assertThat(OutputFormat.NPY.partFiles(rest.partPath()))
        .containsExactly(
            "part-000007-00000000002500-00000000005000.ids.jsonl",
            "part-000007-00000000002500-00000000005000.npy");
    assertThat(OutputFormat.JSONL.partFiles(item.partPath())).containsExactly(item.partPath());
  }

  @Test
  void anItemWithoutAnOutputFormatWritesJsonLines() {
    assertThat(item.outputFormat()).isEqualTo(OutputFormat.JSONL);
    assertThat(withFormat(null).outputFormat()).isEqualTo(OutputFormat.JSONL);
  }

  @Test
  void outputFormatsAreNamedCaseInsensitivelyAndAnUnknownOneListsTheAllowed() {
    assertThat(OutputFormat.of("NPY")).isEqualTo(OutputFormat.NPY);
    assertThat(OutputFormat.of(null)).isEqualTo(OutputFormat.JSONL);
    assertThatThrownBy(() -> OutputFormat.of("parquet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown output format 'parquet'; allowed: jsonl, npy");
  }

  private WorkItem withFormat(OutputFormat format) {
    return new WorkItem(
        item.jobId(),
        item.itemId(),
        item.index(),
        item.model(),
        item.inputUri(),
        item.inputName(),
        item.range(),
        item.format(),
        item.textField(),
        item.idField(),
        item.outputUri(),
        item.attempts(),
        item.maxAttempts(),
        item.task(),
        format);
  }

  @Test
  void aContinuationKeepsTheFailureCountAndCountsTheInterruption() {
    WorkItem failedOnce = item.afterFailure();
    WorkItem rest = failedOnce.continueFrom(3000);
    assertThat(rest.attempts()).isEqualTo(new Attempts(1, 1));
    assertThat(rest.range()).isEqualTo(new ByteRange(3000, 5000));
    assertThat(rest.itemId()).isEqualTo(item.itemId());
    assertThat(rest.failuresExhausted()).isFalse();
    assertThat(failedOnce.afterFailure().afterFailure().failuresExhausted()).isTrue();
  }

  @Test
  void rejectsAnOutputThatIsNotAPrefix() {
    assertThatThrownBy(
            () ->
                new WorkItem(
                    "job",
                    "i",
                    0,
                    "m",
                    "file:///in",
                    "in",
                    new ByteRange(0, 1),
                    null,
                    "text",
                    "id",
                    "file:///out",
                    null,
                    3))
        .hasMessageContaining("must end with '/'");
  }
}
