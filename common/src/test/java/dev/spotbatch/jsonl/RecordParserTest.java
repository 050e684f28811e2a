package dev.spotbatch.jsonl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link RecordParser} turns lines into good records and record errors. */
class RecordParserTest {
  private final RecordParser parser = new RecordParser("docs.jsonl", "text", "id");

  @Test
  void parsesTextAndStringId() {
    assertThat(parse("{\"id\":\"a-1\",\"text\":\"hello\",\"other\":[1,2]}", 40))
        .isEqualTo(new ParsedRecord.Good("a-1", 40, "hello"));
  }

  @Test
  void usesANumericIdAsText() {
    assertThat(parse("{\"id\":42,\"text\":\"hello\"}", 0))
        .isEqualTo(new ParsedRecord.Good("42", 0, "hello"));
    assertThat(parse("{\"id\":4.5,\"text\":\"hello\"}", 0).id()).isEqualTo("4.5");
  }

  @Test
  void fallsBackToNameAndOffsetWhenTheIdIsAbsentNullBlankOrNotAScalar() {
    assertThat(parse("{\"text\":\"hello\"}", 123).id()).isEqualTo("docs.jsonl:123");
    assertThat(parse("{\"id\":null,\"text\":\"hello\"}", 5).id()).isEqualTo("docs.jsonl:5");
    assertThat(parse("{\"id\":\"  \",\"text\":\"hello\"}", 6).id()).isEqualTo("docs.jsonl:6");
    assertThat(parse("{\"id\":{\"x\":1},\"text\":\"hello\"}", 7).id()).isEqualTo("docs.jsonl:7");
  }

  @Test
  void honoursConfiguredFieldNames() {
    RecordParser custom = new RecordParser("in", "body", "key");
    Line line = new Line(0, 30, "{\"key\":\"k\",\"body\":\"b\",\"text\":\"t\"}".getBytes(UTF_8));

    assertThat(custom.parse(line)).isEqualTo(new ParsedRecord.Good("k", 0, "b"));
  }

  @Test
  void reportsInvalidJson() {
    ParsedRecord record = parse("{\"id\":\"a\",\"text\":", 9);

    assertThat(record).isInstanceOf(ParsedRecord.Bad.class);
    assertThat(((ParsedRecord.Bad) record).reason()).startsWith("line is not valid JSON");
    assertThat(record.id()).isEqualTo("docs.jsonl:9");
    assertThat(record.offset()).isEqualTo(9);
  }

  @Test
  void reportsTrailingGarbageAfterTheObject() {
    assertThat(parse("{\"text\":\"a\"} {\"text\":\"b\"}", 0)).isInstanceOf(ParsedRecord.Bad.class);
  }

  @Test
  void reportsALineThatIsNotAnObject() {
    assertThat(reason(parse("[1,2,3]", 0))).isEqualTo("line is not a JSON object");
    assertThat(reason(parse("\"text\"", 0))).isEqualTo("line is not a JSON object");
    assertThat(reason(parse("17", 0))).isEqualTo("line is not a JSON object");
  }

  @Test
  void reportsMissingBlankOrNonStringText() {
    assertThat(reason(parse("{\"id\":\"a\"}", 0))).isEqualTo("no field 'text'");
    assertThat(reason(parse("{\"id\":\"a\",\"text\":null}", 0))).isEqualTo("no field 'text'");
    assertThat(reason(parse("{\"id\":\"a\",\"text\":\" \\t \"}", 0)))
        .isEqualTo("field 'text' is blank");
    assertThat(reason(parse("{\"id\":\"a\",\"text\":12}", 0)))
        .isEqualTo("field 'text' is not a string");
    assertThat(reason(parse("{\"id\":\"a\",\"text\":[\"x\"]}", 0)))
        .isEqualTo("field 'text' is not a string");
  }

  @Test
  void keepsTheIdOfARecordWithBadText() {
    assertThat(parse("{\"id\":\"a\",\"text\":12}", 0).id()).isEqualTo("a");
  }

  @Test
  void readsUtf8Text() {
    assertThat(parse("{\"text\":\"café €\"}", 0))
        .isEqualTo(new ParsedRecord.Good("docs.jsonl:0", 0, "café €"));
  }

  private ParsedRecord parse(String json, long offset) {
    byte[] bytes = json.getBytes(UTF_8);
    return parser.parse(new Line(offset, offset + bytes.length + 1, bytes));
  }

  private static String reason(ParsedRecord record) {
    assertThat(record).isInstanceOf(ParsedRecord.Bad.class);
    return ((ParsedRecord.Bad) record).reason();
  }
}
