package dev.spotbatch.dispatcher.fleet.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.fleet.LeaseEvents;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.WorkerLeases;
import dev.spotbatch.dispatcher.fleet.aws.AutoScalingClients;
import dev.spotbatch.dispatcher.fleet.aws.AwsAutoScalingCapacity;
import dev.spotbatch.dispatcher.fleet.aws.AwsCapacityProvider;
import dev.spotbatch.dispatcher.fleet.aws.AwsClientSettings;
import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.DecisionCause;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSettings;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.dispatcher.job.RecordSampler;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.testing.AwsQueryServer;
import dev.spotbatch.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * Scale-in on AWS, the whole chain: the workers' events say which instance holds a lease, the
 * autoscaler picks only idle instances, and the provider removes each with {@code
 * TerminateInstanceInAutoScalingGroup} (decrement) through the real SDK client against an
 * in-process server speaking the Auto Scaling Query protocol, errors included.
 */
class AwsScaleInTest {
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
  private static final Pool SPOT =
      new Pool("spot-a", AwsCapacityProvider.NAME, "g5.xlarge", "us-east-1a", Lifecycle.SPOT);

  private final MutableClock clock = new MutableClock(T0);
  private final LeaseEvents events = new LeaseEvents(clock);
  private final WorkerLeases leases = new WorkerLeases(clock, Duration.ofHours(1), Map::of);
  private AwsQueryServer aws;
  private AutoScalingClient client;
  private AwsCapacityProvider provider;
  private AutoscalerLoop loop;

  @BeforeEach
  void start() throws Exception {
    aws = AwsQueryServer.autoScaling();
    client =
        AutoScalingClients.create(
            AwsClientSettings.of("us-east-1").withEndpoint(aws.endpoint()),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    Map<Pool, String> groups = Map.of(SPOT, "asg-spot");
    provider =
        new AwsCapacityProvider(
            client,
            new AwsAutoScalingCapacity(
                client, AwsCapacityProvider.asgPools(groups), clock, Duration.ofMinutes(3)),
            groups,
            "us-east-1",
            leases);
    ScalingSettings settings =
        ScalingSettings.builder()
            .minWorkers(0)
            .maxWorkers(3)
            .scaleInCooldown(Duration.ofSeconds(20))
            .scaleInStabilization(Duration.ofSeconds(20))
            .build();
    loop =
        new AutoscalerLoop(
            new Autoscaler(settings, clock),
            provider,
            new AutoscalerLoop.Sources(
                new JobBacklog(Databases.h2(), RecordSampler.NONE),
                () -> QueueStats.of(0, 0, 0),
                new Throughput(clock, Duration.ofMinutes(2)),
                InterruptionRates.NONE,
                pool -> 0.4),
            clock,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            new SimpleMeterRegistry());
    aws.always("DescribeScalingActivities", aws.ok("DescribeScalingActivities", "<Activities/>"))
        .always("SetInstanceProtection", aws.ok("SetInstanceProtection", ""))
        .always("SetDesiredCapacity", aws.ok("SetDesiredCapacity"));
  }

  @AfterEach
  void stop() {
    loop.close();
    client.close();
    aws.close();
  }

  /** The group with its instances, each {@code id:protected}, all InService and healthy. */
  private void group(int desired, String... instances) {
    StringBuilder members = new StringBuilder();
    for (String i : instances) {
      String[] p = i.split(":");
      members.append(
          """
          <member><InstanceId>%s</InstanceId><InstanceType>g5.xlarge</InstanceType>
            <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState>
            <HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>%s</ProtectedFromScaleIn></member>
          """
              .formatted(p[0], p[1]));
    }
    aws.always(
        "DescribeAutoScalingGroups",
        aws.ok(
            "DescribeAutoScalingGroups",
            """
            <AutoScalingGroups><member>
              <AutoScalingGroupName>asg-spot</AutoScalingGroupName>
              <MinSize>0</MinSize><MaxSize>10</MaxSize><DesiredCapacity>%d</DesiredCapacity>
              <NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn>
              <Instances>%s</Instances>
            </member></AutoScalingGroups>
            """
                .formatted(desired, members)));
  }

  private AwsQueryServer.Answer terminated(String instanceId) {
    return aws.ok(
        "TerminateInstanceInAutoScalingGroup",
        "<Activity><ActivityId>t-"
            + instanceId
            + "</ActivityId><AutoScalingGroupName>asg-spot</AutoScalingGroupName>"
            + "<Description>Terminating EC2 instance: "
            + instanceId
            + "</Description><Cause>user request</Cause>"
            + "<StartTime>2026-12-02T08:00:00Z</StartTime><StatusCode>InProgress</StatusCode>"
            + "<Progress>0</Progress></Activity>");
  }

  private List<String> terminations() {
    return aws.requests("TerminateInstanceInAutoScalingGroup").stream()
        .map(r -> r.param("InstanceId") + " decrement=" + r.param("ShouldDecrementDesiredCapacity"))
        .toList();
  }

  @Test
  void removesOnlyInstancesTheEventsShowIdleAndKeepsTheOthersProtected() {
    group(3, "i-busy:true", "i-idle:true", "i-late:true");
    aws.once("TerminateInstanceInAutoScalingGroup", terminated("i-idle"))
        .once(
            "TerminateInstanceInAutoScalingGroup",
            aws.error(
                400,
                "Sender",
                "ScalingActivityInProgress",
                "Scaling activity t-i-idle is in progress and blocks this action."));
    leases.observe(events.started("i-busy", "it-1", T0));
    loop.tick(); // the group has 3, nothing is idle for 30 s yet

    clock.advance(Duration.ofSeconds(40));
    loop.tick();

    assertThat(terminations())
        .as("idle since the first tick, longest first; never i-busy")
        .containsExactly("i-idle decrement=true", "i-late decrement=true");
    assertThat(aws.requests("SetInstanceProtection"))
        .extracting(r -> r.param("InstanceIds.member.1") + "=" + r.param("ProtectedFromScaleIn"))
        .containsExactly("i-idle=false", "i-late=false");
    assertThat(aws.requests("SetDesiredCapacity"))
        .as("the decrement brought the group to 2; i-late's removal did not apply, so 2 it stays")
        .isEmpty();
    assertThat(loop.decisions(1))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.SCALE_IN);
              assertThat(d.reason()).contains("removing idle i-idle, i-late");
            });

    // i-late took work meanwhile, and is found unprotected: it is protected again, and kept
    aws.clearRequests();
    group(2, "i-busy:true", "i-late:false");
    leases.observe(events.started("i-late", "it-2", clock.instant()));
    clock.advance(Duration.ofSeconds(10));
    loop.tick();
    assertThat(terminations()).isEmpty();
    assertThat(aws.requests("SetInstanceProtection"))
        .extracting(r -> r.param("InstanceIds.member.1") + "=" + r.param("ProtectedFromScaleIn"))
        .containsExactly("i-late=true");

    // both finish: each goes once idle for 30 s
    aws.clearRequests();
    group(2, "i-busy:true", "i-late:true");
    aws.always("TerminateInstanceInAutoScalingGroup", terminated("any"));
    leases.observe(events.completed("i-busy", "it-1", T0));
    leases.observe(events.completed("i-late", "it-2", T0.plusSeconds(40)));
    clock.advance(Duration.ofSeconds(10));
    loop.tick();
    assertThat(terminations()).as("idle for less than 30 s").isEmpty();
    clock.advance(Duration.ofSeconds(30));
    loop.tick();
    assertThat(terminations())
        .containsExactlyInAnyOrder("i-busy decrement=true", "i-late decrement=true");
  }

  @Test
  void theProviderRefusesToRemoveAnInstanceThatTookALeaseSinceTheSnapshot() {
    group(1, "i-a:true");
    aws.always("TerminateInstanceInAutoScalingGroup", terminated("i-a"));
    provider.refresh();
    leases.observe(events.started("i-a", "it-1", T0));

    assertThat(provider.scaleIn(SPOT, "i-a")).isFalse();
    assertThat(aws.requests("TerminateInstanceInAutoScalingGroup")).isEmpty();
    assertThat(aws.requests("SetInstanceProtection")).isEmpty();

    leases.observe(events.completed("i-a", "it-1", T0));
    assertThat(provider.scaleIn(SPOT, "i-a")).isTrue();
    assertThat(provider.desired(SPOT)).isZero();
  }

  @Test
  void aValidationErrorOnTerminationKeepsTheInstanceInTheDesiredCount() {
    group(2, "i-a:true", "i-b:true");
    leases.observe(events.started("i-b", "it-1", T0));
    aws.always(
        "TerminateInstanceInAutoScalingGroup",
        aws.error(
            400,
            "Sender",
            "ValidationError",
            "The instance i-a is not part of Auto Scaling group asg-spot."));
    loop.tick();
    clock.advance(Duration.ofSeconds(40));

    loop.tick();

    assertThat(terminations()).containsExactly("i-a decrement=true");
    assertThat(aws.requests("SetDesiredCapacity"))
        .as("asking for 1 would let the group pick a victim among busy workers")
        .isEmpty();
  }
}
