package dev.spotbatch.worker.notice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.AwsQueryServer;
import dev.spotbatch.testing.LocalImds;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The termination lifecycle hook from notice to completion: a local IMDS announces {@code
 * target-lifecycle-state = Terminated}, and an in-process server speaking the Auto Scaling Query
 * protocol takes the heartbeats and the completion.
 */
class LifecycleActionCompleterTest {
  private static final InstanceFacts FACTS =
      new InstanceFacts(
          "aws", "i-0abc123def4567890", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  private static final LifecycleActionCompleter.Hook HOOK =
      new LifecycleActionCompleter.Hook("asg-spot-a", "spotbatch-drain", Duration.ofMinutes(5));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
  private LocalImdsServer imds;
  private AwsQueryServer aws;
  private AutoScalingClient client;

  @BeforeEach
  void start() throws Exception {
    imds = LocalImds.start(FACTS, clock);
    aws = AwsQueryServer.autoScaling();
    client =
        AutoScalingClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(aws.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    aws.always("RecordLifecycleActionHeartbeat", aws.ok("RecordLifecycleActionHeartbeat", ""))
        .always("CompleteLifecycleAction", aws.ok("CompleteLifecycleAction", ""));
  }

  @AfterEach
  void stop() {
    client.close();
    aws.close();
    imds.close();
  }

  private LifecycleActionCompleter completer() {
    return new LifecycleActionCompleter(
        client, HOOK, FACTS.instanceId(), clock, Duration.ofSeconds(60));
  }

  private Notice lifecycleNotice() throws Exception {
    imds.announceLifecycleTermination();
    AwsLifecycleNoticeSource source =
        new AwsLifecycleNoticeSource(
            new ImdsClient(imds.endpoint(), new MetadataHttp(), clock),
            clock,
            Duration.ofMinutes(20));
    return source.poll().orElseThrow();
  }

  @Test
  void aLongDrainSendsHeartbeatsBeforeTheHookTimesOutThenCompletesWithContinue() throws Exception {
    LifecycleActionCompleter completer = completer();
    completer.started(lifecycleNotice().detectedAt());

    clock.advance(Duration.ofMinutes(3));
    assertThat(completer.tick()).as("4 minutes left of 5").isFalse();
    clock.advance(Duration.ofMinutes(1).plusSeconds(5));
    assertThat(completer.tick()).as("55 s left, inside the 60 s lead").isTrue();
    assertThat(completer.expires()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(2));
    assertThat(completer.tick()).as("extended: no heartbeat yet").isFalse();

    assertThat(completer.complete()).isEqualTo(LifecycleActionCompleter.Completion.COMPLETED);

    assertThat(aws.requests("RecordLifecycleActionHeartbeat"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.params())
                    .containsEntry("AutoScalingGroupName", "asg-spot-a")
                    .containsEntry("LifecycleHookName", "spotbatch-drain")
                    .containsEntry("InstanceId", "i-0abc123def4567890")
                    .containsEntry("Version", "2011-01-01"));
    assertThat(aws.requests("CompleteLifecycleAction"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.params())
                    .containsEntry("AutoScalingGroupName", "asg-spot-a")
                    .containsEntry("LifecycleHookName", "spotbatch-drain")
                    .containsEntry("InstanceId", "i-0abc123def4567890")
                    .containsEntry("LifecycleActionResult", "CONTINUE"));
    assertThat(completer.tick()).as("nothing after completion").isFalse();
  }

  @Test
  void aShortDrainCompletesWithoutAnyHeartbeat() throws Exception {
    LifecycleActionCompleter completer = completer();
    completer.started(lifecycleNotice().detectedAt());
    clock.advance(Duration.ofSeconds(40));

    assertThat(completer.tick()).isFalse();
    assertThat(completer.complete()).isEqualTo(LifecycleActionCompleter.Completion.COMPLETED);
    assertThat(aws.requests("RecordLifecycleActionHeartbeat")).isEmpty();
  }

  @Test
  void anActionThatAlreadyEndedIsNotAFailure() {
    aws.always(
        "CompleteLifecycleAction",
        aws.error(
            400,
            "Sender",
            "ValidationError",
            "No active Lifecycle Action found with instance ID i-0abc123def4567890"));
    LifecycleActionCompleter completer = completer();
    completer.started(clock.instant());

    assertThat(completer.complete()).isEqualTo(LifecycleActionCompleter.Completion.NO_ACTION);
    assertThat(completer.complete())
        .as("once")
        .isEqualTo(LifecycleActionCompleter.Completion.NO_ACTION);
    assertThat(aws.requests("CompleteLifecycleAction")).hasSize(1);
  }

  @Test
  void aFailedHeartbeatNeverThrowsAndIsTriedAgainOnTheNextTick() {
    aws.once(
        "RecordLifecycleActionHeartbeat",
        aws.error(400, "Sender", "ValidationError", "Lifecycle hook spotbatch-drain not found"));
    LifecycleActionCompleter completer = completer();
    completer.started(clock.instant());
    clock.advance(Duration.ofMinutes(4).plusSeconds(30));

    assertThat(completer.tick()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(completer.tick()).isTrue();
    assertThat(aws.requests("RecordLifecycleActionHeartbeat")).hasSize(2);
  }

  @Test
  void theCompletionHoldsTheActionOnlyForAnAutoScalingNoticeAndNeverThrowsWhenAwsFails()
      throws Exception {
    aws.always("CompleteLifecycleAction", aws.error(503, "Receiver", "ServiceUnavailable", "down"));
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    LifecycleActionCompleter completer =
        new LifecycleActionCompleter(
            client,
            HOOK,
            FACTS.instanceId(),
            clock,
            Duration.ofSeconds(60),
            (call, outcome) -> calls.add(call + " " + outcome));
    LifecycleHookCompletion completion =
        new LifecycleHookCompletion(completer, Duration.ofMillis(10));

    completion.onNotice(
        new Notice(
            "aws-spot:1",
            dev.spotbatch.model.NoticeKind.AWS_SPOT_INTERRUPTION,
            clock.instant(),
            clock.instant().plusSeconds(120),
            clock.instant(),
            "spot"));
    assertThat(completer.expires()).as("a spot notice holds no lifecycle action").isNull();
    completion.onNotice(lifecycleNotice());
    assertThat(completer.expires()).isEqualTo(clock.instant().plus(HOOK.heartbeatTimeout()));

    assertThat(completion.drained()).hasValue(LifecycleActionCompleter.Completion.FAILED);
    assertThat(calls).containsExactly("COMPLETE FAILED");
    assertThat(aws.requests("CompleteLifecycleAction"))
        .as("the SDK's retries")
        .hasSizeGreaterThan(1);
    completion.close();
  }

  @Test
  void aDrainWithoutAnAutoScalingNoticeCompletesNothing() {
    LifecycleHookCompletion completion =
        new LifecycleHookCompletion(completer(), Duration.ofMillis(10));

    assertThat(completion.drained()).isEmpty();
    assertThat(aws.requests()).isEmpty();
  }

  @Test
  void readsGroupAndHookFromInstanceMetadataTagsOnlyWhenTheyAreOn() {
    LifecycleHookLookup lookup =
        new LifecycleHookLookup(new ImdsClient(imds.endpoint(), new MetadataHttp(), clock));
    assertThat(lookup.tag(LifecycleHookLookup.GROUP_TAG)).as("tags are off by default").isEmpty();

    imds.instanceTags(java.util.Map.of("aws:autoscaling:groupName", "asg-spot-a"));

    assertThat(lookup.tag(LifecycleHookLookup.GROUP_TAG)).hasValue("asg-spot-a");
    assertThat(lookup.tag(LifecycleHookLookup.HOOK_TAG)).isEmpty();
  }

  @Test
  void findsItsGroupFromAutoScaling() {
    aws.always(
        "DescribeAutoScalingInstances",
        aws.ok(
            "DescribeAutoScalingInstances",
            """
            <AutoScalingInstances>
              <member>
                <HealthStatus>HEALTHY</HealthStatus>
                <AutoScalingGroupName>asg-spot-a</AutoScalingGroupName>
                <AvailabilityZone>us-east-1a</AvailabilityZone>
                <InstanceId>i-0abc123def4567890</InstanceId>
                <InstanceType>g5.xlarge</InstanceType>
                <LifecycleState>Terminating:Wait</LifecycleState>
                <ProtectedFromScaleIn>true</ProtectedFromScaleIn>
              </member>
            </AutoScalingInstances>
            """));

    assertThat(LifecycleActionCompleter.groupOf(client, FACTS.instanceId())).hasValue("asg-spot-a");
    assertThat(aws.requests("DescribeAutoScalingInstances").get(0).params())
        .containsEntry("InstanceIds.member.1", "i-0abc123def4567890");
  }
}
