package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.model.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PartTiling}: the parts that cover an item's range exactly once. */
class PartTilingTest {
  static final ByteRange ITEM = new ByteRange(100, 1000);

  static PartRow part(long start, long end) {
    return part("item", PartKind.DATA, start, end, "");
  }

  static PartRow part(String item, PartKind kind, long start, long end, String suffix) {
    return new PartRow(
        "job",
        String.format(
            "%s%s-%014d-%014d%s",
            kind == PartKind.ERROR ? "_errors/" : "", item, start, end, suffix),
        item,
        kind,
        end - start,
        new ByteRange(start, end));
  }

  static ItemRow item(String id, ByteRange range) {
    return new ItemRow(
        id, "job", 0, "file:///data/in.jsonl", "in.jsonl", range, ItemStatus.SUCCEEDED, 0, 0, null);
  }

  static List<ByteRange> ranges(Optional<List<PartRow>> tiling) {
    return tiling.orElseThrow().stream().map(PartRow::range).toList();
  }

  @Test
  void aSinglePartOfTheWholeRangeTilesIt() {
    assertThat(ranges(PartTiling.tile(ITEM, List.of(part(100, 1000)))))
        .containsExactly(new ByteRange(100, 1000));
  }

  @Test
  void aCheckpointAndItsContinuationTileIt() {
    assertThat(ranges(PartTiling.tile(ITEM, List.of(part(400, 1000), part(100, 400)))))
        .containsExactly(new ByteRange(100, 400), new ByteRange(400, 1000));
  }

  @Test
  void theWholePartIsPreferredAndNeverCombinedWithTheSplitOnes() {
    List<PartRow> parts = List.of(part(100, 400), part(400, 1000), part(100, 1000));
    assertThat(ranges(PartTiling.tile(ITEM, parts))).containsExactly(new ByteRange(100, 1000));
  }

  @Test
  void aDuplicateFromAnExpiredLeaseIsChosenOnce() {
    // the first owner's lease ran out after it committed [100,400); the next owner ran the item
    // again and committed the same range under its own name, then the continuation
    PartRow first = part("item", PartKind.DATA, 100, 400, "-a");
    PartRow again = part("item", PartKind.DATA, 100, 400, "-b");
    List<PartRow> chosen =
        PartTiling.tile(ITEM, List.of(again, first, part(400, 1000))).orElseThrow();
    assertThat(chosen).containsExactly(first, part(400, 1000));
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
    List<ByteRange> chosen = ranges(PartTiling.tile(ITEM, parts));
    assertThat(chosen)
        .containsExactly(
            new ByteRange(100, 400), new ByteRange(400, 700), new ByteRange(700, 1000));
  }

  @Test
  void partsOutsideTheRangeAreIgnored() {
    List<PartRow> parts = List.of(part(0, 1000), part(100, 1200), part(100, 1000));
    assertThat(ranges(PartTiling.tile(ITEM, parts))).containsExactly(ITEM);
  }

  @Test
  void searchesPastADeadEnd() {
    // the longest first part [100,600) leads nowhere; [100,300) -> [300,1000) does
    List<PartRow> parts = List.of(part(100, 600), part(100, 300), part(300, 1000), part(600, 800));
    assertThat(ranges(PartTiling.tile(ITEM, parts)))
        .containsExactly(new ByteRange(100, 300), new ByteRange(300, 1000));
  }

  @Test
  void aGapMeansNoTiling() {
    assertThat(PartTiling.tile(ITEM, List.of(part(100, 400), part(500, 1000)))).isEmpty();
    assertThat(PartTiling.tile(ITEM, List.of(part(400, 1000)))).isEmpty();
    assertThat(PartTiling.tile(ITEM, List.of(part(100, 900)))).isEmpty();
    assertThat(PartTiling.tile(ITEM, List.of())).isEmpty();
  }

  @Test
  void anEmptyRangeIsTiledByOneEmptyPart() {
    ByteRange empty = new ByteRange(500, 500);
    assertThat(ranges(PartTiling.tile(empty, List.of(part(500, 500), part(500, 500)))))
        .containsExactly(empty);
    assertThat(PartTiling.tile(empty, List.of())).isEmpty();
  }

  @Test
  void theChosenPartsCountEveryRecordOnce() {
    List<PartRow> parts = List.of(part(100, 250), part(250, 1000), part(100, 1000), part(250, 600));
    long records =
        PartTiling.tile(ITEM, parts).orElseThrow().stream().mapToLong(PartRow::records).sum();
    assertThat(records).isEqualTo(ITEM.length());
  }

  @Test
  void selectListsTheChosenDataPartsAndTheErrorPartsOfTheSameRanges() {
    ByteRange other = new ByteRange(1000, 2000);
    List<PartRow> parts =
        List.of(
            part("a", PartKind.DATA, 100, 400, ""),
            part("a", PartKind.ERROR, 100, 400, ""),
            part("a", PartKind.DATA, 400, 1000, ""),
            part("a", PartKind.DATA, 100, 1000, ""),
            part("a", PartKind.ERROR, 100, 1000, ""),
            part("b", PartKind.DATA, 1000, 1500, ""));

    SelectedParts selected = PartTiling.select(List.of(item("a", ITEM), item("b", other)), parts);

    assertThat(selected.data()).containsExactly(part("a", PartKind.DATA, 100, 1000, ""));
    assertThat(selected.errors()).containsExactly(part("a", PartKind.ERROR, 100, 1000, ""));
    assertThat(selected.untiled()).containsExactly(item("b", other));
  }

  @Test
  void selectSortsByPathAcrossItems() {
    ByteRange first = new ByteRange(0, 100);
    List<PartRow> parts =
        List.of(part("b", PartKind.DATA, 100, 1000, ""), part("a", PartKind.DATA, 0, 100, ""));

    SelectedParts selected = PartTiling.select(List.of(item("b", ITEM), item("a", first)), parts);

    assertThat(selected.data()).extracting(PartRow::itemId).containsExactly("a", "b");
    assertThat(selected.untiled()).isEmpty();
  }
}
