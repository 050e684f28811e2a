package dev.spotbatch.jsonl;

import dev.spotbatch.codec.Json;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns JSONL lines into records: the text comes from {@code textField}, the id from {@code
 * idField} (or {@code <inputName>:<offset>} when absent, null, blank or not a scalar). A line that
 * is not a JSON object, or has no non-blank string in the text field, becomes a {@link
 * ParsedRecord.Bad} with its reason. Thread-safe.
 */
public final class RecordParser {
  private static final JsonMapper MAPPER = Json.mapper();

  private final String inputName;
  private final String textField;
  private final String idField;

  public RecordParser(String inputName, String textField, String idField) {
    this.inputName = inputName;
    this.textField = textField;
    this.idField = idField;
  }

  public ParsedRecord parse(Line line) {
    String fallbackId = inputName + ":" + line.offset();
    JsonNode node;
    try {
      node = MAPPER.readTree(new String(line.bytes(), StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      return new ParsedRecord.Bad(
          fallbackId, line.offset(), "line is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new ParsedRecord.Bad(fallbackId, line.offset(), "line is not a JSON object");
    }
    JsonNode idNode = node.get(idField);
    // a blank id identifies nothing: treat it as absent, like null or an object/array
    String id =
        idNode == null || idNode.isNull() || idNode.isContainer() || idNode.asString().isBlank()
            ? fallbackId
            : idNode.asString();
    JsonNode text = node.get(textField);
    if (text == null || text.isNull()) {
      return new ParsedRecord.Bad(id, line.offset(), "no field '" + textField + "'");
    }
    if (!text.isString()) {
      return new ParsedRecord.Bad(id, line.offset(), "field '" + textField + "' is not a string");
    }
    if (text.asString().isBlank()) {
      return new ParsedRecord.Bad(id, line.offset(), "field '" + textField + "' is blank");
    }
    return new ParsedRecord.Good(id, line.offset(), text.asString());
  }
}
