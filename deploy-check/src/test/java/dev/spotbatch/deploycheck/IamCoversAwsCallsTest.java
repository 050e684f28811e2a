package dev.spotbatch.deploycheck;

import static dev.spotbatch.deploycheck.Hcl.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The roles against the code: every Auto Scaling operation the dispatcher's and the worker's Java
 * code calls is an action of its role's policy, and the role holds no Auto Scaling action the code
 * does not call; Describe calls (which AWS does not scope) on {@code *}, every other one on the
 * pools' groups only; and the settings worker_fleet and the dispatcher module pass are properties
 * the apps declare. A call added to the code without its IAM action, an action left over, or a
 * renamed property fails the build.
 */
class IamCoversAwsCallsTest {
  static final Pattern CALL = Pattern.compile("\\.([a-z][A-Za-z]+)\\(");
  static Hcl.Module iam;

  @BeforeAll
  static void parse() {
    iam = Hcl.module(Repo.path("deploy/terraform/modules/iam"));
  }

  /** The client's API operations: its methods that return a response or a paginator. */
  static Set<String> operations() {
    return Arrays.stream(AutoScalingClient.class.getMethods())
        .filter(
            m ->
                SdkResponse.class.isAssignableFrom(m.getReturnType())
                    || SdkIterable.class.isAssignableFrom(m.getReturnType()))
        .map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The Auto Scaling actions the main code of {@code module} calls: operation methods invoked in
   * files that use an {@code AutoScalingClient}, {@code describeXPaginator} counted as {@code
   * DescribeX}.
   */
  static Map<String, Set<String>> calledIn(String module) {
    Set<String> ops = operations();
    Map<String, Set<String>> byAction = new TreeMap<>();
    for (Path file : Repo.files(Repo.path(module + "/src/main/java"), ".java")) {
      String text = Repo.read(file);
      if (!text.contains("AutoScalingClient")) {
        continue;
      }
      Matcher m = CALL.matcher(text);
      while (m.find()) {
        String method = m.group(1);
        if (!ops.contains(method)) {
          continue;
        }
        String op = method.endsWith("Paginator") ? method.replaceFirst("Paginator$", "") : method;
        String action = "autoscaling:" + Character.toUpperCase(op.charAt(0)) + op.substring(1);
        byAction.computeIfAbsent(action, a -> new TreeSet<>()).add(file.getFileName().toString());
      }
    }
    return byAction;
  }

  static Map<String, Object> policy(String role) {
    return iam.data("aws_iam_policy_document").get(role);
  }

  /** Each Auto Scaling action of a role's policy with the resources of its statement. */
  static Map<String, Set<String>> autoScalingGrants(String role) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (Map<String, Object> st : TerraformCheckTest.statements(policy(role))) {
      Set<String> resources =
          list(st.get("resources")).stream().map(Hcl::str).collect(Collectors.toSet());
      for (Object a : list(st.get("actions"))) {
        String action = Hcl.str(a);
        if (action.startsWith("autoscaling:")) {
          grants.computeIfAbsent(action, x -> new TreeSet<>()).addAll(resources);
        }
      }
    }
    return grants;
  }

  @Test
  void theScannerFindsTheCallsItMustFind() {
    assertThat(operations())
        .contains(
            "setDesiredCapacity", "completeLifecycleAction", "describeAutoScalingGroupsPaginator")
        .doesNotContain("close", "serviceName");
    assertThat(calledIn("dispatcher"))
        .containsKeys("autoscaling:SetDesiredCapacity", "autoscaling:DescribeAutoScalingGroups");
    assertThat(calledIn("worker"))
        .containsKeys(
            "autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat");
  }

  @Test
  void theDispatcherRoleHoldsExactlyTheAutoScalingActionsItsCodeCalls() {
    assertThat(autoScalingGrants("dispatcher").keySet())
        .as("dispatcher role vs calls in dispatcher/src/main: %s", calledIn("dispatcher"))
        .containsExactlyInAnyOrderElementsOf(calledIn("dispatcher").keySet());
  }

  @Test
  void theWorkerRoleHoldsExactlyTheAutoScalingActionsItsCodeCalls() {
    assertThat(autoScalingGrants("worker").keySet())
        .as("worker role vs calls in worker/src/main: %s", calledIn("worker"))
        .containsExactlyInAnyOrderElementsOf(calledIn("worker").keySet());
  }

  @Test
  void describeCallsAloneRunOnEveryResourceAndTheRestOnThePoolsGroupsOnly() {
    for (String role : Set.of("dispatcher", "worker")) {
      autoScalingGrants(role)
          .forEach(
              (action, resources) -> {
                if (action.startsWith("autoscaling:Describe")) {
                  assertThat(resources).as(role + " " + action).containsExactly("*");
                } else {
                  // hcl4j resolves local.worker_group_arns into its expression
                  assertThat(resources)
                      .as(role + " " + action + ": the pools' groups, by name prefix")
                      .singleElement()
                      .asString()
                      .contains(":autoscaling:")
                      .endsWith(":autoScalingGroupName/var.worker_group_prefix*");
                }
              });
    }
  }

  @Test
  void theSettingsTerraformPassesAreThePropertiesTheAppsDeclare() {
    String fleet = Repo.read(Repo.path("deploy/terraform/modules/worker_fleet/main.tf"));
    Set<String> workerAws =
        envNames(
            "SPOTBATCH_WORKER_AWS_",
            Repo.path("worker/src/main/java/dev/spotbatch/worker/config/AwsWorkerProperties.java"));
    assertThat(envKeys(fleet, "SPOTBATCH_WORKER_AWS_"))
        .contains("SPOTBATCH_WORKER_AWS_LIFECYCLEHOOK", "SPOTBATCH_WORKER_AWS_HEARTBEATTIMEOUT")
        .allSatisfy(k -> assertThat(workerAws).as("spotbatch.worker.aws.* properties").contains(k));
    // the hook's timeout is the one the worker heartbeats against, and its drain ends before it
    assertThat(fleet)
        .contains("SPOTBATCH_WORKER_AWS_HEARTBEATTIMEOUT = \"${var.drain_timeout_seconds}s\"")
        .contains(
            "SPOTBATCH_WORKER_NOTICE_LIFECYCLEGRACE  = \"${var.drain_timeout_seconds - 10}s\"")
        .contains("heartbeat_timeout    = var.drain_timeout_seconds")
        .contains("key                 = \"spotbatch:lifecycle-hook\"");

    String dispatcher = Repo.read(Repo.path("deploy/terraform/modules/dispatcher/main.tf"));
    Set<String> fleetAws =
        envNames(
            "SPOTBATCH_FLEET_AWS_",
            Repo.path(
                "dispatcher/src/main/java/dev/spotbatch/dispatcher/config/AwsFleetProperties.java"));
    assertThat(dispatcher).contains("SPOTBATCH_FLEET_PROVIDER         = \"aws\"");
    assertThat(envKeys(dispatcher, "SPOTBATCH_FLEET_AWS_"))
        .contains("SPOTBATCH_FLEET_AWS_REGION", "SPOTBATCH_FLEET_AWS_GROUPPREFIX")
        .allSatisfy(k -> assertThat(fleetAws).as("spotbatch.fleet.aws.* properties").contains(k));
    Set<String> poolFields =
        envNames(
            "",
            Repo.path(
                "dispatcher/src/main/java/dev/spotbatch/dispatcher/config/AwsFleetProperties.java"),
            "PoolGroup");
    Matcher pools =
        Pattern.compile("SPOTBATCH_FLEET_AWS_POOLS_\\$\\{i}_([A-Z]+)").matcher(dispatcher);
    Set<String> passed = new TreeSet<>();
    while (pools.find()) {
      passed.add(pools.group(1));
    }
    assertThat(passed).as("every pool field is passed").isEqualTo(poolFields);
  }

  /** {@code KEY = } assignments starting with {@code prefix} in a Terraform file. */
  static Set<String> envKeys(String tf, String prefix) {
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("\\b(" + prefix + "[A-Z]+)\\s*=").matcher(tf);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  /** A properties record's components as environment variable names ({@code prefix + UPPER}). */
  static Set<String> envNames(String prefix, Path source) {
    return envNames(prefix, source, null);
  }

  static Set<String> envNames(String prefix, Path source, String nestedRecord) {
    String text = Repo.read(source);
    String anchor = nestedRecord == null ? "public record " : "public record " + nestedRecord;
    int start = text.indexOf(anchor);
    int open = text.indexOf('(', start);
    int depth = 0;
    int end = open;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth == 0) {
        end = i;
        break;
      }
    }
    String params = text.substring(open + 1, end).replaceAll("@\\w+\\(\"[^\"]*\"\\)", "");
    Set<String> names = new TreeSet<>();
    for (String p : params.split(",")) {
      String[] words = p.trim().split("\\s+");
      names.add(prefix + words[words.length - 1].toUpperCase(java.util.Locale.ROOT));
    }
    return names;
  }
}
