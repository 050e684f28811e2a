package dev.spotbatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.spotbatch.dispatcher.api.BearerFromTokenFile;
import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.WorkerLeases;
import dev.spotbatch.dispatcher.fleet.aws.AwsCapacityProvider;
import dev.spotbatch.testing.AwsQueryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The dispatcher with {@code spotbatch.fleet.provider=aws} against an in-process server speaking
 * the Auto Scaling Query protocol: the same client code as production, only the endpoint differs.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class AwsFleetConfigTest {
  static final Path DATA;
  static final AwsQueryServer AWS;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-aws-fleet").toRealPath();
      AWS = AwsQueryServer.autoScaling();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
    AWS.always(
        "DescribeAutoScalingGroups",
        AWS.ok(
            "DescribeAutoScalingGroups",
            """
            <AutoScalingGroups>
              <member>
                <AutoScalingGroupName>spotbatch-w-spot-g5-xlarge-us-east-1a</AutoScalingGroupName>
                <MinSize>0</MinSize><MaxSize>10</MaxSize><DesiredCapacity>2</DesiredCapacity>
                <NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn>
                <Instances>
                  <member><InstanceId>i-0spot1</InstanceId><InstanceType>g5.xlarge</InstanceType>
                    <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState>
                    <HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>true</ProtectedFromScaleIn></member>
                  <member><InstanceId>i-0spot2</InstanceId><InstanceType>g5.xlarge</InstanceType>
                    <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>Terminating:Wait</LifecycleState>
                    <HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>true</ProtectedFromScaleIn></member>
                </Instances>
              </member>
              <member>
                <AutoScalingGroupName>spotbatch-w-on-demand-g5-xlarge-us-east-1a</AutoScalingGroupName>
                <MinSize>0</MinSize><MaxSize>4</MaxSize><DesiredCapacity>1</DesiredCapacity>
                <NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn>
                <Instances>
                  <member><InstanceId>i-0od1</InstanceId><InstanceType>g5.xlarge</InstanceType>
                    <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>Pending</LifecycleState>
                    <HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>true</ProtectedFromScaleIn></member>
                </Instances>
              </member>
            </AutoScalingGroups>
            """));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:aws-fleet-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.local-token", () -> "true");
    r.add("spotbatch.fleet.provider", () -> "aws");
    r.add("spotbatch.fleet.aws.endpoint", () -> AWS.endpoint().toString());
    r.add("spotbatch.fleet.aws.group-prefix", () -> "spotbatch-w-");
    r.add("spotbatch.fleet.aws.pools[0].name", () -> "spot.g5.xlarge.us-east-1a");
    r.add("spotbatch.fleet.aws.pools[0].group", () -> "spotbatch-w-spot-g5-xlarge-us-east-1a");
    r.add("spotbatch.fleet.aws.pools[0].instance-type", () -> "g5.xlarge");
    r.add("spotbatch.fleet.aws.pools[0].zone", () -> "us-east-1a");
    r.add("spotbatch.fleet.aws.pools[0].lifecycle", () -> "spot");
    r.add("spotbatch.fleet.aws.pools[1].name", () -> "on-demand.g5.xlarge.us-east-1a");
    r.add("spotbatch.fleet.aws.pools[1].group", () -> "spotbatch-w-on-demand-g5-xlarge-us-east-1a");
    r.add("spotbatch.fleet.aws.pools[1].instance-type", () -> "g5.xlarge");
    r.add("spotbatch.fleet.aws.pools[1].zone", () -> "us-east-1a");
    r.add("spotbatch.fleet.aws.pools[1].lifecycle", () -> "on-demand");
  }

  @AfterAll
  static void stopAws() {
    AWS.close();
  }

  @Autowired MockMvc mvc;
  @Autowired CapacityProvider capacity;

  @Test
  void theFleetApiShowsTheWorkersOfEveryPoolsGroup() throws Exception {
    assertThat(capacity).isInstanceOf(AwsCapacityProvider.class);

    mvc.perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.provider").value("aws"))
        .andExpect(jsonPath("$.desired").value(3))
        .andExpect(jsonPath("$.actual").value(3))
        .andExpect(jsonPath("$.workers.length()").value(3))
        .andExpect(jsonPath("$.workers[0].id").value("i-0spot1"))
        .andExpect(jsonPath("$.workers[0].state").value("RUNNING"))
        .andExpect(jsonPath("$.workers[0].instance.provider").value("aws"))
        .andExpect(jsonPath("$.workers[0].instance.instanceType").value("g5.xlarge"))
        .andExpect(jsonPath("$.workers[0].instance.region").value("us-east-1"))
        .andExpect(jsonPath("$.workers[0].instance.zone").value("us-east-1a"))
        .andExpect(jsonPath("$.workers[0].instance.lifecycle").value("SPOT"))
        .andExpect(jsonPath("$.workers[1].id").value("i-0spot2"))
        .andExpect(jsonPath("$.workers[1].state").value("DRAINING"))
        .andExpect(jsonPath("$.workers[2].id").value("i-0od1"))
        .andExpect(jsonPath("$.workers[2].state").value("STARTING"))
        .andExpect(jsonPath("$.workers[2].instance.lifecycle").value("ON_DEMAND"));

    assertThat(AWS.requests("DescribeAutoScalingGroups"))
        .last()
        .satisfies(
            r ->
                assertThat(r.params())
                    .containsEntry(
                        "AutoScalingGroupNames.member.1", "spotbatch-w-spot-g5-xlarge-us-east-1a")
                    .containsEntry(
                        "AutoScalingGroupNames.member.2",
                        "spotbatch-w-on-demand-g5-xlarge-us-east-1a"));
  }

  @Test
  void settingAPoolsDesiredCapacityCallsItsGroup() {
    AWS.always("SetDesiredCapacity", AWS.ok("SetDesiredCapacity"));
    var spot = capacity.pools().get(0);

    capacity.setDesired(spot, 4);

    assertThat(AWS.requests("SetDesiredCapacity"))
        .last()
        .satisfies(
            r ->
                assertThat(r.params())
                    .containsEntry("AutoScalingGroupName", "spotbatch-w-spot-g5-xlarge-us-east-1a")
                    .containsEntry("DesiredCapacity", "4"));
    assertThat(capacity.desired(spot)).isEqualTo(4);
  }

  /** Bad settings stop the start with a message that names the property to fix. */
  @Test
  void badSettingsStopTheStartWithTheirPropertyNamed() {
    ApplicationContextRunner runner =
        new ApplicationContextRunner()
            .withUserConfiguration(AwsFleetConfig.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(
                WorkerLeases.class,
                () -> new WorkerLeases(Clock.systemUTC(), Duration.ofHours(1), Map::of))
            .withPropertyValues(
                "spotbatch.fleet.provider=aws",
                "spotbatch.fleet.aws.region=us-east-1",
                "spotbatch.fleet.aws.endpoint=" + AWS.endpoint());

    runner.run(
        c ->
            assertThat(c)
                .getFailure()
                .rootCause()
                .hasMessageContaining("spotbatch.fleet.aws.pools must name at least one pool"));
    runner
        .withPropertyValues(
            "spotbatch.fleet.aws.group-prefix=spotbatch-w-",
            "spotbatch.fleet.aws.pools[0].name=spot.a",
            "spotbatch.fleet.aws.pools[0].group=other-group",
            "spotbatch.fleet.aws.pools[0].instance-type=g5.xlarge",
            "spotbatch.fleet.aws.pools[0].zone=us-east-1a",
            "spotbatch.fleet.aws.pools[0].lifecycle=spot")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "spotbatch.fleet.aws.pools[0].group other-group does not start with"
                            + " spotbatch.fleet.aws.group-prefix spotbatch-w-"));
    runner
        .withPropertyValues(
            "spotbatch.fleet.aws.pools[0].name=spot.a",
            "spotbatch.fleet.aws.pools[0].group=g",
            "spotbatch.fleet.aws.pools[0].instance-type=g5.xlarge",
            "spotbatch.fleet.aws.pools[0].zone=us-east-1a")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "spotbatch.fleet.aws.pools[0].lifecycle must be spot or on-demand"));
    runner
        .withPropertyValues("spotbatch.fleet.provider=local")
        .run(c -> assertThat(c).hasNotFailed().doesNotHaveBean(CapacityProvider.class));
  }
}
