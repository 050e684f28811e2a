package dev.spotbatch.codec;

import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.WorkItem;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes queue messages as a versioned JSON envelope: {@code
 * {"v":1,"type":"WorkItem","body":{...}}}. Unknown body fields are ignored, so a newer writer can
 * add fields without breaking older readers; an unknown version or type is rejected with a message
 * that names it. Thread-safe.
 */
public final class MessageCodec {
  /** The envelope version this codec writes. */
  public static final int VERSION = 1;

  private static final Map<String, Class<?>> TYPES =
      Map.of(
          "WorkItem", WorkItem.class,
          "ItemCompleted", ItemCompleted.class,
          "ItemFailed", ItemFailed.class,
          "ItemCheckpointed", ItemCheckpointed.class,
          "ItemStarted", ItemStarted.class,
          "ItemReleased", ItemReleased.class,
          "WorkerDraining", WorkerDraining.class,
          "WorkerStopped", WorkerStopped.class);

  private final JsonMapper mapper;

  public MessageCodec() {
    this.mapper = Json.mapper();
  }

  public String encode(WorkItem item) {
    return write("WorkItem", item);
  }

  public String encode(WorkerEvent event) {
    // Java 17: no pattern switch; the sealed interface keeps this list short and checked by tests
    String type = event.getClass().getSimpleName();
    if (!TYPES.containsKey(type)) {
      throw new CodecException("no message type for " + type);
    }
    return write(type, event);
  }

  public WorkItem decodeItem(String json) {
    Object value = read(json);
    if (value instanceof WorkItem item) {
      return item;
    }
    throw new CodecException(
        "expected a WorkItem message, got " + value.getClass().getSimpleName());
  }

  public WorkerEvent decodeEvent(String json) {
    Object value = read(json);
    if (value instanceof WorkerEvent event) {
      return event;
    }
    throw new CodecException(
        "expected a worker event message, got " + value.getClass().getSimpleName());
  }

  private String write(String type, Object body) {
    try {
      ObjectNode envelope = mapper.createObjectNode();
      envelope.put("v", VERSION);
      envelope.put("type", type);
      envelope.set("body", mapper.valueToTree(body));
      return mapper.writeValueAsString(envelope);
    } catch (JacksonException e) {
      throw new CodecException("cannot encode " + type + ": " + e.getOriginalMessage(), e);
    }
  }

  private Object read(String json) {
    JsonNode envelope;
    try {
      envelope = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new CodecException("message is not JSON: " + e.getOriginalMessage(), e);
    }
    if (envelope == null || !envelope.isObject()) {
      throw new CodecException("message is not a JSON object");
    }
    int version = envelope.path("v").asInt(-1);
    if (version != VERSION) {
      throw new CodecException(
          "unsupported message version "
              + envelope.path("v")
              + " (this build reads "
              + VERSION
              + ")");
    }
    String type = envelope.path("type").asString("");
    Class<?> target = TYPES.get(type);
    if (target == null) {
      throw new CodecException("unknown message type '" + type + "'");
    }
    try {
      return mapper.treeToValue(envelope.path("body"), target);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new CodecException("invalid " + type + " message: " + e.getMessage(), e);
    }
  }
}
