package dev.spotbatch.worker.notice.azure;

import dev.spotbatch.codec.Json;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import dev.spotbatch.worker.notice.http.MetadataException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure Scheduled Events: {@code GET /metadata/scheduledevents?api-version=2020-07-01}. Only {@code
 * Preempt} and {@code Terminate} events whose {@code Resources} name this VM count; the deadline is
 * {@code NotBefore} (RFC 1123; blank once the event has started, then "now"), the id the {@code
 * EventId}. {@link #acknowledge} approves the event ({@code StartRequests}) so Azure may go on
 * before {@code NotBefore}. The VM name comes from configuration or {@code
 * /metadata/instance/compute/name}. Azure enables Scheduled Events on the first request, which may
 * take a while; the monitor's transport-error backoff covers that.
 */
public final class AzureScheduledEventsNoticeSource implements NoticeSource {
  static final String EVENTS_PATH = "/metadata/scheduledevents?api-version=2020-07-01";
  static final String NAME_PATH =
      "/metadata/instance/compute/name?api-version=2021-02-01&format=text";
  private static final JsonMapper JSON = Json.mapper();

  private final AzureMetadataClient metadata;
  private final Clock clock;
  private volatile String vmName;
  private final Map<String, Notice> seen = new ConcurrentHashMap<>();

  /**
   * @param vmName this VM's name as Scheduled Events lists it in {@code Resources}; null or blank
   *     to ask IMDS on the first poll
   */
  public AzureScheduledEventsNoticeSource(
      AzureMetadataClient metadata, Clock clock, String vmName) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.vmName = vmName == null || vmName.isBlank() ? null : vmName.trim();
  }

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public Optional<Notice> poll() throws Exception {
    String vm = vmName();
    String body = metadata.get(EVENTS_PATH);
    JsonNode doc;
    try {
      doc = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new MetadataException("unreadable scheduled events: " + body, 200);
    }
    Notice earliest = null;
    for (JsonNode event : doc.path("Events")) {
      NoticeKind kind = kind(event.path("EventType").asString(""));
      String status = event.path("EventStatus").asString("");
      String id = event.path("EventId").asString("");
      if (kind == null
          || id.isEmpty()
          || !namesVm(event, vm)
          || !(status.equals("Scheduled") || status.equals("Started"))) {
        continue;
      }
      Notice notice = seen.computeIfAbsent(id, k -> toNotice(k, kind, event));
      if (earliest == null || earliest.deadline().isAfter(notice.deadline())) {
        earliest = notice;
      }
    }
    return Optional.ofNullable(earliest);
  }

  @Override
  public void acknowledge(Notice notice) throws Exception {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("StartRequests").addObject().put("EventId", notice.id());
    metadata.post(EVENTS_PATH, JSON.writeValueAsString(body));
  }

  private String vmName() throws Exception {
    String vm = vmName;
    if (vm == null) {
      vm = metadata.get(NAME_PATH).trim();
      vmName = vm;
    }
    return vm;
  }

  private Notice toNotice(String id, NoticeKind kind, JsonNode event) {
    Instant now = clock.instant();
    String notBefore = event.path("NotBefore").asString("").trim();
    Instant deadline = now;
    if (!notBefore.isEmpty()) {
      try {
        deadline = ZonedDateTime.parse(notBefore, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        deadline = now; // unreadable: act as if it had started
      }
    }
    String detail =
        event.path("EventType").asString("") + " " + event.path("Description").asString("");
    return new Notice(id, kind, null, deadline, now, detail.trim());
  }

  private static boolean namesVm(JsonNode event, String vm) {
    for (JsonNode resource : event.path("Resources")) {
      if (resource.asString("").equalsIgnoreCase(vm)) {
        return true;
      }
    }
    return false;
  }

  private static NoticeKind kind(String eventType) {
    switch (eventType) {
      case "Preempt":
        return NoticeKind.AZURE_PREEMPT;
      case "Terminate":
        return NoticeKind.AZURE_TERMINATE;
      default:
        return null; // Reboot, Redeploy, Freeze, ...: the machine comes back
    }
  }
}
