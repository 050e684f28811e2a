package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.model.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link JobStore#tile}: the parts that cover an item's range exactly once. */
class PartTilingTest {
  static final ByteRange ITEM = new ByteRange(100, 1000);

  static PartRow part(long start, long end) {
    return new PartRow(
        "job",
        String.format("part-%014d-%014d", start, end),
        "item",
        PartKind.DATA,
        end - start,
        new ByteRange(start, end));
  }

  static List<ByteRange> ranges(Optional<List<PartRow>> tiling) {
    return tiling.orElseThrow().stream().map(PartRow::range).toList();
  }

  @Test
  void aSinglePartOfTheWholeRangeTilesIt() {
    assertThat(ranges(JobStore.tile(ITEM, List.of(part(100, 1000)))))
        .containsExactly(new ByteRange(100, 1000));
  }

  @Test
  void aCheckpointAndItsContinuationTileIt() {
    assertThat(ranges(JobStore.tile(ITEM, List.of(part(400, 1000), part(100, 400)))))
        .containsExactly(new ByteRange(100, 400), new ByteRange(400, 1000));
  }

  @Test
  void theWholePartIsPreferredAndNeverCombinedWithTheSplitOnes() {
    List<PartRow> parts = List.of(part(100, 400), part(400, 1000), part(100, 1000));
    assertThat(ranges(JobStore.tile(ITEM, parts))).containsExactly(new ByteRange(100, 1000));
  }

  @Test
  void overlappingAndDuplicatePartsAreNotChosen() {
    List<PartRow> parts =
        new ArrayList<>(
            List.of(
                part(100, 400),
                part(100, 300),
                part(300, 700),
                part(400, 700),
                part(700, 1000),
                part(350, 1000),
                part(100, 400)));
    List<ByteRange> chosen = ranges(JobStore.tile(ITEM, parts));
    assertThat(chosen)
        .containsExactly(
            new ByteRange(100, 400), new ByteRange(400, 700), new ByteRange(700, 1000));
  }

  @Test
  void searchesPastADeadEnd() {
    // the longest first part [100,600) leads nowhere; [100,300) -> [300,1000) does
    List<PartRow> parts = List.of(part(100, 600), part(100, 300), part(300, 1000), part(600, 800));
    assertThat(ranges(JobStore.tile(ITEM, parts)))
        .containsExactly(new ByteRange(100, 300), new ByteRange(300, 1000));
  }

  @Test
  void aGapMeansNoTiling() {
    assertThat(JobStore.tile(ITEM, List.of(part(100, 400), part(500, 1000)))).isEmpty();
    assertThat(JobStore.tile(ITEM, List.of(part(400, 1000)))).isEmpty();
    assertThat(JobStore.tile(ITEM, List.of())).isEmpty();
  }

  @Test
  void theChosenPartsCountEveryRecordOnce() {
    List<PartRow> parts = List.of(part(100, 250), part(250, 1000), part(100, 1000), part(250, 600));
    long records =
        JobStore.tile(ITEM, parts).orElseThrow().stream().mapToLong(PartRow::records).sum();
    assertThat(records).isEqualTo(ITEM.length());
  }
}
