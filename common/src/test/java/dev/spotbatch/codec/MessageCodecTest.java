package dev.spotbatch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The versioned JSON envelope of {@link MessageCodec}. */
class MessageCodecTest {
  private final MessageCodec codec = new MessageCodec();

  @Test
  void roundTripsAWorkItem() {
    WorkItem item = Samples.item(3).continueFrom(40).afterFailure();

    String json = codec.encode(item);

    assertThat(json).startsWith("{\"v\":1,\"type\":\"WorkItem\",\"body\":{");
    assertThat(codec.decodeItem(json)).isEqualTo(item);
    assertThat(codec.decodeItem(json).attempts()).isEqualTo(new Attempts(1, 1));
    assertThat(codec.decodeItem(json).format()).isEqualTo(InputFormat.JSONL);
  }

  @Test
  void roundTripsItemCompletedWithAndWithoutAnErrorPart() {
    ItemCompleted completed = Samples.completed(1);
    ItemCompleted clean =
        new ItemCompleted(
            completed.eventId(),
            completed.jobId(),
            completed.itemId(),
            completed.range(),
            completed.part(),
            null,
            completed.attempts(),
            completed.workerId(),
            completed.instance(),
            null,
            completed.at());

    assertThat(codec.decodeEvent(codec.encode(completed))).isEqualTo(completed);
    assertThat(codec.decodeEvent(codec.encode(clean))).isEqualTo(clean);
  }

  @Test
  void roundTripsItemStartedAndItemReleased() {
    WorkerEvent started = Samples.started(4);
    WorkerEvent released = Samples.released(5);

    assertThat(codec.decodeEvent(codec.encode(started))).isEqualTo(started);
    assertThat(codec.decodeEvent(codec.encode(released))).isEqualTo(released);
    assertThat(codec.encode(started)).contains("\"type\":\"ItemStarted\"");
  }

  @Test
  void anItemReleasedWithoutAReasonReadsAsAHandBack() {
    String json = codec.encode(Samples.released(5)).replace("\"reason\":\"HANDED_BACK\",", "");

    assertThat(((ItemReleased) codec.decodeEvent(json)).reason())
        .isEqualTo(ItemReleased.ReleaseReason.HANDED_BACK);
  }

  @Test
  void roundTripsItemFailed() {
    WorkerEvent failed = Samples.failed(2);

    assertThat(codec.decodeEvent(codec.encode(failed))).isEqualTo(failed);
  }

  @Test
  void roundTripsItemCheckpointed() {
    WorkerEvent checkpointed = Samples.checkpointed(3);

    assertThat(codec.decodeEvent(codec.encode(checkpointed))).isEqualTo(checkpointed);
  }

  @Test
  void roundTripsWorkerDraining() {
    WorkerEvent draining = Samples.draining();

    assertThat(codec.decodeEvent(codec.encode(draining))).isEqualTo(draining);
  }

  @Test
  void roundTripsWorkerStoppedWithItsDrainReport() {
    WorkerStopped stopped = Samples.stopped();

    WorkerEvent back = codec.decodeEvent(codec.encode(stopped));

    assertThat(back).isEqualTo(stopped);
    assertThat(((WorkerStopped) back).report().handedBack()).isEqualTo(2);
  }

  @Test
  void roundTripsWorkerStoppedWithItsMachineTimeAndLostLeases() {
    WorkerStopped old = Samples.stopped();
    WorkerStopped stopped =
        new WorkerStopped(
            old.eventId(),
            old.workerId(),
            old.instance(),
            old.report(),
            old.at(),
            Instant.parse("2025-12-31T23:00:00Z"),
            "aws-c7i.large-us-east-1a-spot",
            List.of(
                new LostLease("job-1", "job-1-0003", Instant.parse("2026-01-01T00:00:10Z"), 42)));

    WorkerStopped back = (WorkerStopped) codec.decodeEvent(codec.encode(stopped));

    assertThat(back).isEqualTo(stopped);
    assertThat(back.lost().get(0).recordsDone()).isEqualTo(42);
    assertThat(codec.encode(old)).doesNotContain("startedAt").doesNotContain("lost");
  }

  /**
   * Workers and dispatchers of different builds share the queues: every event type is written and
   * read exactly as the v1 messages kept in {@code codec/events-v1.jsonl}.
   */
  @Test
  void writesAndReadsEveryEventTypeInTheV1WireFormat() throws IOException {
    List<WorkerEvent> samples = Samples.everyEventType();
    List<String> wire;
    try (InputStream in = getClass().getResourceAsStream("/codec/events-v1.jsonl")) {
      wire = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }

    assertThat(wire).hasSameSizeAs(samples);
    for (int i = 0; i < samples.size(); i++) {
      assertThat(codec.encode(samples.get(i))).isEqualTo(wire.get(i));
      assertThat(codec.decodeEvent(wire.get(i))).isEqualTo(samples.get(i));
    }
  }

  @Test
  void aJobEndingFailureCarriesItsCauseAndAnItemsOwnFailureIsWrittenAsInV1() {
    ItemFailed own =
        (ItemFailed)
            Samples.everyEventType().stream()
                .filter(ItemFailed.class::isInstance)
                .findFirst()
                .orElseThrow();
    ItemFailed model =
        new ItemFailed(
            own.eventId(),
            own.jobId(),
            own.itemId(),
            own.range(),
            "model cannot run",
            own.attempts(),
            true,
            own.workerId(),
            own.instance(),
            own.startedAt(),
            own.at(),
            FailureCause.MODEL_UNUSABLE);

    assertThat(codec.encode(own)).doesNotContain("cause");
    assertThat(codec.encode(model)).contains("\"cause\":\"MODEL_UNUSABLE\"");
    assertThat(codec.decodeEvent(codec.encode(model))).isEqualTo(model);
    assertThat(((ItemFailed) codec.decodeEvent(codec.encode(own))).cause())
        .isEqualTo(FailureCause.ITEM);
  }

  @Test
  void anItemCarriesItsOutputFormatAndAMessageWithoutOneMeansJsonLines() {
    WorkItem jsonl = Samples.item(1);
    WorkItem npy =
        new WorkItem(
            jsonl.jobId(),
            jsonl.itemId(),
            jsonl.index(),
            jsonl.model(),
            jsonl.inputUri(),
            jsonl.inputName(),
            jsonl.range(),
            jsonl.format(),
            jsonl.textField(),
            jsonl.idField(),
            jsonl.outputUri(),
            jsonl.attempts(),
            jsonl.maxAttempts(),
            jsonl.task(),
            OutputFormat.NPY);

    // JSON lines, the default, is written as before the field existed
    assertThat(codec.encode(jsonl)).doesNotContain("outputFormat");
    assertThat(codec.encode(npy)).contains("\"outputFormat\":\"NPY\"");
    assertThat(codec.decodeItem(codec.encode(npy))).isEqualTo(npy);
    assertThat(codec.decodeItem(codec.encode(jsonl)).outputFormat()).isEqualTo(OutputFormat.JSONL);
  }

  @Test
  void ignoresUnknownFields() {
    String json = codec.encode(Samples.item(1));
    String newer =
        json.replace("\"body\":{", "\"sentBy\":\"v2\",\"body\":{\"priority\":5,\"tags\":[\"a\"],");

    assertThat(codec.decodeItem(newer)).isEqualTo(Samples.item(1));
  }

  @Test
  void rejectsAnUnknownVersionByName() {
    String json = codec.encode(Samples.item(1)).replace("\"v\":1", "\"v\":2");

    assertThatThrownBy(() -> codec.decodeItem(json))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unsupported message version 2");
  }

  @Test
  void rejectsAMissingVersion() {
    assertThatThrownBy(() -> codec.decodeItem("{\"type\":\"WorkItem\",\"body\":{}}"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unsupported message version");
  }

  @Test
  void rejectsAnUnknownTypeByName() {
    String json =
        codec.encode(Samples.item(1)).replace("\"type\":\"WorkItem\"", "\"type\":\"Cancel\"");

    assertThatThrownBy(() -> codec.decodeItem(json))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unknown message type 'Cancel'");
  }

  @Test
  void rejectsAnEventWhereAnItemIsExpectedAndTheOtherWayRound() {
    String event = codec.encode(Samples.failed(1));
    String item = codec.encode(Samples.item(1));

    assertThatThrownBy(() -> codec.decodeItem(event))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected a WorkItem");
    assertThatThrownBy(() -> codec.decodeEvent(item))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected a worker event");
  }

  @Test
  void rejectsNonJsonAndNonObjects() {
    assertThatThrownBy(() -> codec.decodeItem("not json"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> codec.decodeItem("[1]"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void rejectsABodyThatBreaksTheItemsRules() {
    String json =
        codec
            .encode(Samples.item(1))
            .replace(
                "\"outputUri\":\"s3://bucket/output/\"", "\"outputUri\":\"s3://bucket/output\"");

    assertThatThrownBy(() -> codec.decodeItem(json))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("invalid WorkItem message");
  }
}
