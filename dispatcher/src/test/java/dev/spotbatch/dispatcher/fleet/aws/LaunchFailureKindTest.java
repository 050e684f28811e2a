package dev.spotbatch.dispatcher.fleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Status messages as the Auto Scaling troubleshooting guide lists them. */
class LaunchFailureKindTest {
  @Test
  void readsTheKindFromTheStatusMessage() {
    assertThat(
            LaunchFailureKind.classify(
                "We currently do not have sufficient p5.48xlarge capacity in the Availability Zone"
                    + " you requested (us-east-1a). Our system will be working on provisioning"
                    + " additional capacity. Launching EC2 instance failed."))
        .isEqualTo(LaunchFailureKind.INSUFFICIENT_CAPACITY);
    assertThat(
            LaunchFailureKind.classify(
                "There is no Spot capacity available that matches your request. Launching EC2"
                    + " instance failed."))
        .isEqualTo(LaunchFailureKind.INSUFFICIENT_CAPACITY);
    assertThat(
            LaunchFailureKind.classify(
                "Max spot instance count exceeded. Launching EC2 instance failed."))
        .isEqualTo(LaunchFailureKind.SPOT_LIMIT);
    assertThat(
            LaunchFailureKind.classify(
                "Your Spot request price of 0.015 is lower than the minimum required Spot request"
                    + " fulfillment price of 0.0735."))
        .isEqualTo(LaunchFailureKind.SPOT_LIMIT);
    assertThat(
            LaunchFailureKind.classify(
                "You have requested more vCPU capacity than your current vCPU limit of 32 allows"
                    + " for the instance bucket that the specified instance type belongs to."))
        .isEqualTo(LaunchFailureKind.QUOTA);
    assertThat(
            LaunchFailureKind.classify(
                "Your requested instance type (g6e.xlarge) is not supported in your requested"
                    + " Availability Zone (us-east-1e). Launching EC2 instance failed."))
        .isEqualTo(LaunchFailureKind.UNSUPPORTED);
    assertThat(
            LaunchFailureKind.classify(
                "The image id 'ami-xxxxxxxx' does not exist. Launching EC2 instance failed."))
        .isEqualTo(LaunchFailureKind.CONFIGURATION);
    assertThat(LaunchFailureKind.classify(null)).isEqualTo(LaunchFailureKind.CONFIGURATION);
  }
}
