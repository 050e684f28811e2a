package dev.spotbatch.dispatcher.fleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.fleet.scaling.CapacityMode;
import dev.spotbatch.dispatcher.fleet.scaling.IncidentKind;
import dev.spotbatch.dispatcher.fleet.scaling.PoolPlan;
import dev.spotbatch.dispatcher.fleet.scaling.PoolStanding;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingPlan;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerRemoval;
import dev.spotbatch.testing.AwsQueryServer;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/** The AWS provider against an in-process server speaking the Auto Scaling Query protocol. */
class AwsAutoScalingCapacityTest {
  private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

  /**
   * DescribeAutoScalingGroups' sample response from the Auto Scaling API reference, verbatim but
   * for three empty integer elements ({@code <MaxInstanceLifetime />}, {@code <WarmPoolSize />},
   * {@code <DefaultInstanceWarmup />}): the reference shows absent fields as empty elements, the
   * service leaves them out, and the SDK cannot read an empty integer ("Unable to unmarshall
   * response (For input string: \"\")").
   */
  private static final String DOCUMENTED_GROUP =
      """
      <DescribeAutoScalingGroupsResponse xmlns="https://autoscaling.amazonaws.com/doc/2011-01-01/">
        <DescribeAutoScalingGroupsResult>
          <AutoScalingGroups>
            <member>
              <AutoScalingGroupName>my-asg</AutoScalingGroupName>
              <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:12345678-1234-1234-1234-123456789012:autoScalingGroupName/my-asg</AutoScalingGroupARN>
              <LaunchConfigurationName>my-lc</LaunchConfigurationName>
              <LaunchTemplate />
              <MixedInstancesPolicy />
              <MinSize>2</MinSize>
              <MaxSize>10</MaxSize>
              <DesiredCapacity>2</DesiredCapacity>
              <DefaultCooldown>300</DefaultCooldown>
              <AvailabilityZones>
                <member>us-east-1a</member>
                <member>us-east-1b</member>
              </AvailabilityZones>
              <LoadBalancerNames />
              <TargetGroupARNs />
              <HealthCheckType>ELB</HealthCheckType>
              <HealthCheckGracePeriod>300</HealthCheckGracePeriod>
              <Instances>
                <member>
                  <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
                  <AvailabilityZone>us-east-1c</AvailabilityZone>
                  <LaunchConfigurationName>my-lc</LaunchConfigurationName>
                  <LaunchTemplate />
                  <InstanceId>i-1234567890abcdef0</InstanceId>
                  <InstanceType>t3.micro</InstanceType>
                  <HealthStatus>Healthy</HealthStatus>
                  <LifecycleState>InService</LifecycleState>
                  <WeightedCapacity />
                </member>
              </Instances>
              <CreatedTime>2023-05-06T17:47:15.107Z</CreatedTime>
              <SuspendedProcesses />
              <PlacementGroup />
              <VPCZoneIdentifier>subnet-057fa0918fEXAMPLE,subnet-610acd08EXAMPLE</VPCZoneIdentifier>
              <EnabledMetrics />
              <Status />
              <Tags>
                <member>
                  <ResourceId>my-asg</ResourceId>
                  <PropagateAtLaunch>true</PropagateAtLaunch>
                  <Value>test</Value>
                  <Key>environment</Key>
                  <ResourceType>auto-scaling-group</ResourceType>
                </member>
              </Tags>
              <TerminationPolicies>
                <member>Default</member>
              </TerminationPolicies>
              <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>
              <ServiceLinkedRoleARN>arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling</ServiceLinkedRoleARN>
              <CapacityRebalance />
              <WarmPoolConfiguration />
              <DesiredCapacityType />
              <TrafficSources />
            </member>
          </AutoScalingGroups>
        </DescribeAutoScalingGroupsResult>
        <ResponseMetadata>
          <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
        </ResponseMetadata>
      </DescribeAutoScalingGroupsResponse>
      """;

  /** DescribeScalingActivities' sample response from the API reference (its namespace included). */
  private static final String DOCUMENTED_FAILED_ACTIVITY =
      """
      <DescribeScalingActivitiesResponse xmlns="https://ec2.amazonaws.com/doc/2011-01-01/">
        <DescribeScalingActivitiesResult>
          <Activities>
            <member>
              <StatusCode>Failed</StatusCode>
              <Progress>0</Progress>
              <ActivityId>12345678-1234-1234-1234-123456789012</ActivityId>
              <StartTime>2026-12-02T07:58:07.882Z</StartTime>
              <AutoScalingGroupName>my-asg</AutoScalingGroupName>
              <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:12345678-1234-1234-1234-123456789012:autoScalingGroupName/my-asg</AutoScalingGroupARN>
              <Cause>At 2026-12-02T07:58:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 1.  At 2026-12-02T07:58:07Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.</Cause>
              <Details>{}</Details>
              <Description>Launching a new EC2 instance.  Status Reason: The image id 'ami-xxxxxxxx' does not exist. Launching EC2 instance failed.</Description>
              <EndTime>2026-12-02T07:58:08Z</EndTime>
              <StatusMessage>The image id 'ami-xxxxxxxx' does not exist. Launching EC2 instance failed.</StatusMessage>
            </member>
          </Activities>
        </DescribeScalingActivitiesResult>
        <ResponseMetadata>
          <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
        </ResponseMetadata>
      </DescribeScalingActivitiesResponse>
      """;

  private AwsQueryServer aws;
  private AutoScalingClient client;
  private final MutableClock clock = new MutableClock(NOW);

  @BeforeEach
  void start() throws Exception {
    aws = AwsQueryServer.autoScaling();
    client =
        AutoScalingClients.create(
            AwsClientSettings.of("us-east-1").withEndpoint(aws.endpoint()),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  @AfterEach
  void stop() {
    client.close();
    aws.close();
  }

  private AwsAutoScalingCapacity capacity(AsgPool... pools) {
    return new AwsAutoScalingCapacity(client, List.of(pools), clock, Duration.ofMinutes(3));
  }

  private static String group(String name, int desired, int max, String... instances) {
    StringBuilder members = new StringBuilder();
    for (String i : instances) {
      String[] p = i.split(":"); // id:state:protected
      members.append(
          """
          <member><InstanceId>%s</InstanceId><InstanceType>g5.xlarge</InstanceType>\
          <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>%s</LifecycleState>\
          <HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>%s</ProtectedFromScaleIn></member>
          """
              .formatted(p[0], p[1], p[2]));
    }
    return """
        <member>
          <AutoScalingGroupName>%s</AutoScalingGroupName>
          <MinSize>0</MinSize><MaxSize>%d</MaxSize><DesiredCapacity>%d</DesiredCapacity>
          <NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn>
          <Instances>%s</Instances>
        </member>
        """
        .formatted(name, max, desired, members);
  }

  private static String groups(String... members) {
    return "<AutoScalingGroups>" + String.join("", members) + "</AutoScalingGroups>";
  }

  private static ScalingPlan plan(List<PoolPlan> pools, List<WorkerRemoval> removals) {
    return new ScalingPlan(
        NOW, CapacityMode.SPOT, pools, removals, List.of(), List.of(), List.of(), 0, 0);
  }

  private static PoolPlan pool(String name, int desired) {
    return new PoolPlan(name, desired, desired, 0, PoolStanding.USABLE, null, 0, 0);
  }

  @Test
  void readsAGroupAsTheApiReferenceShowsIt() {
    aws.always("DescribeAutoScalingGroups", AwsQueryServer.raw(200, DOCUMENTED_GROUP));

    List<GroupState> groups = capacity(new AsgPool("spot-a", "my-asg")).describe();

    assertThat(groups)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.pool()).isEqualTo("spot-a");
              assertThat(g.desired()).isEqualTo(2);
              assertThat(g.maxSize()).isEqualTo(10);
              assertThat(g.actual()).isEqualTo(1);
              assertThat(g.newInstancesProtected()).isFalse();
              assertThat(g.instances())
                  .containsExactly(
                      new GroupInstance(
                          "i-1234567890abcdef0",
                          "t3.micro",
                          "us-east-1c",
                          "InService",
                          true,
                          false));
            });
    AwsQueryServer.Request request = aws.requests().get(0);
    assertThat(request.action()).isEqualTo("DescribeAutoScalingGroups");
    assertThat(request.param("Version")).isEqualTo("2011-01-01");
    assertThat(request.param("AutoScalingGroupNames.member.1")).isEqualTo("my-asg");
  }

  @Test
  void failedLaunchesOfTheLastMinutesBecomeIncidents() {
    String ice =
        "We currently do not have sufficient g5.xlarge capacity in the Availability Zone you"
            + " requested (us-east-1a). Our system will be working on provisioning additional"
            + " capacity. Launching EC2 instance failed.";
    aws.once(
        "DescribeScalingActivities",
        aws.ok(
            "DescribeScalingActivities",
            """
            <Activities>
              <member><ActivityId>a-3</ActivityId><AutoScalingGroupName>asg-spot</AutoScalingGroupName>
                <Description>Launching a new EC2 instance.  Status Reason: %s</Description>
                <Cause>increasing the capacity from 1 to 3</Cause>
                <StartTime>2026-12-02T07:59:30Z</StartTime><StatusCode>Failed</StatusCode>
                <StatusMessage>%s</StatusMessage><Progress>100</Progress></member>
              <member><ActivityId>a-2</ActivityId><AutoScalingGroupName>asg-spot</AutoScalingGroupName>
                <Description>Launching a new EC2 instance: i-0abc</Description>
                <Cause>increasing the capacity from 0 to 1</Cause>
                <StartTime>2026-12-02T07:59:00Z</StartTime><StatusCode>Successful</StatusCode>
                <Progress>100</Progress></member>
              <member><ActivityId>a-1</ActivityId><AutoScalingGroupName>asg-spot</AutoScalingGroupName>
                <Description>Launching a new EC2 instance.  Status Reason: Max spot instance count exceeded. Launching EC2 instance failed.</Description>
                <Cause>old</Cause>
                <StartTime>2026-12-02T07:40:00Z</StartTime><StatusCode>Failed</StatusCode>
                <StatusMessage>Max spot instance count exceeded. Launching EC2 instance failed.</StatusMessage>
                <Progress>100</Progress></member>
            </Activities>
            """
                .formatted(ice, ice)));
    aws.once("DescribeScalingActivities", AwsQueryServer.raw(200, DOCUMENTED_FAILED_ACTIVITY));

    List<LaunchFailure> failures =
        capacity(new AsgPool("spot", "asg-spot"), new AsgPool("od", "my-asg")).launchFailures();

    assertThat(failures).hasSize(2);
    assertThat(failures.get(0).pool()).isEqualTo("spot");
    assertThat(failures.get(0).kind()).isEqualTo(LaunchFailureKind.INSUFFICIENT_CAPACITY);
    assertThat(failures.get(0).at()).isEqualTo(Instant.parse("2026-12-02T07:59:30Z"));
    assertThat(failures.get(1).kind()).isEqualTo(LaunchFailureKind.CONFIGURATION);
    assertThat(AwsAutoScalingCapacity.incidents(failures))
        .first()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo(IncidentKind.LAUNCH_FAILURE);
              assertThat(i.detail()).startsWith("INSUFFICIENT_CAPACITY: We currently do not have");
            });
    assertThat(aws.requests("DescribeScalingActivities"))
        .extracting(r -> r.param("AutoScalingGroupName") + "/" + r.param("MaxRecords"))
        .containsExactly("asg-spot/20", "my-asg/20");
  }

  @Test
  void appliesAPlanRemovingOnlyTheNamedIdleWorkerThenSettingDesiredAndProtecting() {
    aws.once(
            "DescribeAutoScalingGroups",
            aws.ok(
                "DescribeAutoScalingGroups",
                groups(
                    group(
                        "asg-a",
                        3,
                        10,
                        "i-a1:InService:true",
                        "i-a2:InService:true",
                        "i-a3:InService:true"),
                    group("asg-b", 1, 10, "i-b1:InService:false", "i-b2:Pending:false"))))
        .always("SetInstanceProtection", aws.ok("SetInstanceProtection", ""))
        .always(
            "TerminateInstanceInAutoScalingGroup",
            aws.ok(
                "TerminateInstanceInAutoScalingGroup",
                "<Activity><ActivityId>t-1</ActivityId><AutoScalingGroupName>asg-a</AutoScalingGroupName>"
                    + "<Description>Terminating EC2 instance: i-a2</Description><Cause>user request</Cause>"
                    + "<StartTime>2026-12-02T08:00:00Z</StartTime><StatusCode>InProgress</StatusCode>"
                    + "<Progress>0</Progress></Activity>"))
        .always("SetDesiredCapacity", aws.ok("SetDesiredCapacity"));
    AwsAutoScalingCapacity capacity =
        capacity(new AsgPool("a", "asg-a"), new AsgPool("b", "asg-b"));
    capacity.describe();
    aws.clearRequests();

    List<ApplyResult> results =
        capacity.apply(
            plan(List.of(pool("a", 2), pool("b", 3)), List.of(new WorkerRemoval("i-a2", "a"))));

    assertThat(results).allSatisfy(r -> assertThat(r.applied()).as(r.toString()).isTrue());
    List<AwsQueryServer.Request> calls = aws.requests();
    assertThat(calls)
        .extracting(AwsQueryServer.Request::action)
        .containsExactly(
            "SetInstanceProtection",
            "TerminateInstanceInAutoScalingGroup",
            "SetDesiredCapacity",
            "SetInstanceProtection");
    assertThat(calls.get(0).params())
        .containsEntry("AutoScalingGroupName", "asg-a")
        .containsEntry("InstanceIds.member.1", "i-a2")
        .containsEntry("ProtectedFromScaleIn", "false");
    assertThat(calls.get(1).params())
        .containsEntry("InstanceId", "i-a2")
        .containsEntry("ShouldDecrementDesiredCapacity", "true");
    assertThat(calls.get(2).params())
        .as("asg-a is at 2 after the decrement: only asg-b changes")
        .containsEntry("AutoScalingGroupName", "asg-b")
        .containsEntry("DesiredCapacity", "3")
        .containsEntry("HonorCooldown", "false");
    assertThat(calls.get(3).params())
        .containsEntry("AutoScalingGroupName", "asg-b")
        .containsEntry("InstanceIds.member.1", "i-b1")
        .containsEntry("ProtectedFromScaleIn", "true")
        .doesNotContainKey("InstanceIds.member.2"); // Pending inherits the group setting
  }

  @Test
  void removingANamedWorkerLiftsItsProtectionThenTerminatesWithADecrement() {
    aws.always("SetInstanceProtection", aws.ok("SetInstanceProtection", ""))
        .always(
            "TerminateInstanceInAutoScalingGroup",
            aws.ok(
                "TerminateInstanceInAutoScalingGroup",
                "<Activity><ActivityId>t-2</ActivityId><AutoScalingGroupName>asg-a</AutoScalingGroupName>"
                    + "<Description>Terminating EC2 instance: i-a3</Description><Cause>user request</Cause>"
                    + "<StartTime>2026-12-02T08:00:00Z</StartTime><StatusCode>InProgress</StatusCode>"
                    + "<Progress>0</Progress></Activity>"));
    AwsAutoScalingCapacity capacity = capacity(new AsgPool("a", "asg-a"));

    List<ApplyResult> results = capacity.remove("a", "i-a3");

    assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.applied()).isTrue());
    assertThat(aws.requests())
        .extracting(AwsQueryServer.Request::action)
        .containsExactly("SetInstanceProtection", "TerminateInstanceInAutoScalingGroup");
    assertThat(aws.requests().get(1).params())
        .containsEntry("InstanceId", "i-a3")
        .containsEntry("ShouldDecrementDesiredCapacity", "true");
    assertThat(capacity.remove("unknown", "i-x")).isEmpty();
  }

  @Test
  void aScalingActivityInProgressDefersTheChangeWithoutRetrying() {
    aws.always(
        "SetDesiredCapacity",
        aws.error(
            400,
            "Sender",
            "ScalingActivityInProgress",
            "Scaling activity 8e1d3b4f is in progress and blocks this action."));

    ApplyResult r = capacity(new AsgPool("a", "asg-a")).setDesired("asg-a", 4);

    assertThat(r.outcome()).isEqualTo(ApplyResult.Outcome.DEFERRED);
    assertThat(r.message()).startsWith("ScalingActivityInProgress: Scaling activity");
    assertThat(aws.requests("SetDesiredCapacity")).hasSize(1);
  }

  @Test
  void aValidationErrorIsRejectedWithAwsMessageAndNotRetried() {
    aws.always(
        "SetDesiredCapacity",
        aws.error(
            400,
            "Sender",
            "ValidationError",
            "New SetDesiredCapacity value 40 is above max value 10 for the AutoScalingGroup."));

    ApplyResult r = capacity(new AsgPool("a", "asg-a")).setDesired("asg-a", 40);

    assertThat(r.outcome()).isEqualTo(ApplyResult.Outcome.REJECTED);
    assertThat(r.message()).contains("ValidationError", "above max value 10");
    assertThat(aws.requests("SetDesiredCapacity")).hasSize(1);
  }

  @Test
  void throttlingIsRetriedByTheSdkAloneUpToItsAttempts() {
    var throttled = aws.error(400, "Sender", "Throttling", "Rate exceeded");
    aws.once("SetDesiredCapacity", throttled)
        .once("SetDesiredCapacity", throttled)
        .always("SetDesiredCapacity", aws.ok("SetDesiredCapacity"));

    ApplyResult recovered = capacity(new AsgPool("a", "asg-a")).setDesired("asg-a", 2);

    assertThat(recovered.applied()).isTrue();
    assertThat(aws.requests("SetDesiredCapacity")).as("1 + 2 SDK retries").hasSize(3);

    aws.clearRequests();
    aws.always("SetDesiredCapacity", throttled);
    ApplyResult failed = capacity(new AsgPool("a", "asg-a")).setDesired("asg-a", 2);

    assertThat(failed.outcome()).isEqualTo(ApplyResult.Outcome.FAILED);
    assertThat(failed.message()).startsWith("Throttling");
    assertThat(aws.requests("SetDesiredCapacity"))
        .as("maxAttempts=3 in all: no retry stacked on the SDK's")
        .hasSize(3);
  }

  @Test
  void aPlanAboveTheGroupMaximumIsRejectedLocally() {
    aws.always(
        "DescribeAutoScalingGroups",
        aws.ok("DescribeAutoScalingGroups", groups(group("asg-a", 1, 2, "i-a1:InService:true"))));
    AwsAutoScalingCapacity capacity = capacity(new AsgPool("a", "asg-a"));
    capacity.describe();

    List<ApplyResult> results = capacity.apply(plan(List.of(pool("a", 5)), List.of()));

    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ApplyResult.Outcome.REJECTED));
    assertThat(aws.requests("SetDesiredCapacity")).isEmpty();
  }

  @Test
  void groupsNotProtectingNewInstancesAreUpdatedToDoSo() {
    aws.always("DescribeAutoScalingGroups", AwsQueryServer.raw(200, DOCUMENTED_GROUP))
        .always("UpdateAutoScalingGroup", aws.ok("UpdateAutoScalingGroup"));
    AwsAutoScalingCapacity capacity = capacity(new AsgPool("spot-a", "my-asg"));
    capacity.describe();

    assertThat(capacity.protectNewInstances()).allSatisfy(r -> assertThat(r.applied()).isTrue());
    assertThat(aws.requests("UpdateAutoScalingGroup"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.params())
                    .containsEntry("AutoScalingGroupName", "my-asg")
                    .containsEntry("NewInstancesProtectedFromScaleIn", "true"));
  }
}
