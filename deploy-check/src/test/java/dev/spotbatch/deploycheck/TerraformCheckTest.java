package dev.spotbatch.deploycheck;

import static dev.spotbatch.deploycheck.Hcl.block;
import static dev.spotbatch.deploycheck.Hcl.blocks;
import static dev.spotbatch.deploycheck.Hcl.list;
import static dev.spotbatch.deploycheck.Hcl.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/terraform without Terraform: every file parses, modules are called with the variables they
 * declare, and the spot fleet, encryption, IAM and queues are shaped as DESIGN.md and issue 8 need.
 */
class TerraformCheckTest {
  static final Path TERRAFORM = Repo.path("deploy/terraform");
  static final Set<String> MODULES =
      Set.of(
          "queues",
          "storage",
          "database",
          "dispatcher",
          "worker_fleet",
          "iam",
          "monitoring",
          "spotbatch");
  static final Set<String> EXAMPLES = Set.of("single-region", "multi-region");

  /** Calls AWS does not scope to a resource: the only ones allowed {@code "*"} as a resource. */
  static final Set<String> UNSCOPED_ACTIONS =
      Set.of(
          "ecr:GetAuthorizationToken",
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeScalingActivities",
          "ec2:DescribeInstances",
          "ec2:DescribeSpotPriceHistory");

  static final Set<String> META_ARGUMENTS =
      Set.of("source", "version", "providers", "count", "for_each", "depends_on");

  static Map<String, Hcl.Module> modules = new LinkedHashMap<>();
  static Map<String, Hcl.Module> examples = new LinkedHashMap<>();

  @BeforeAll
  static void parse() throws Exception {
    try (Stream<Path> s = Files.list(TERRAFORM.resolve("modules"))) {
      s.filter(Files::isDirectory)
          .sorted()
          .forEach(d -> modules.put(d.getFileName().toString(), Hcl.module(d)));
    }
    try (Stream<Path> s = Files.list(TERRAFORM.resolve("examples"))) {
      s.filter(Files::isDirectory)
          .sorted()
          .forEach(d -> examples.put(d.getFileName().toString(), Hcl.module(d)));
    }
  }

  static Stream<Hcl.Module> all() {
    return Stream.concat(modules.values().stream(), examples.values().stream());
  }

  static Map<String, Object> only(Map<String, Map<String, Object>> byName, String what) {
    assertThat(byName).as(what).hasSize(1);
    return byName.values().iterator().next();
  }

  // ------------------------------------------------------------------ files and interfaces

  @Test
  void everyTerraformFileParses() {
    List<Path> files = Repo.files(TERRAFORM, ".tf", ".tfvars");
    assertThat(files).hasSizeGreaterThan(30);
    files.forEach(Hcl::parse); // throws with the file's name
  }

  @Test
  void everyModuleAndExampleIsComplete() {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(modules.keySet()).containsAll(MODULES);
    soft.assertThat(examples.keySet()).containsAll(EXAMPLES);
    soft.assertThat(TERRAFORM.resolve("README.md")).exists();
    for (Hcl.Module m : modules.values()) {
      for (String f :
          List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")) {
        soft.assertThat(m.dir().resolve(f)).as("module " + m.name()).exists();
      }
    }
    for (Hcl.Module e : examples.values()) {
      for (String f :
          List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "terraform.tfvars")) {
        soft.assertThat(e.dir().resolve(f)).as("example " + e.name()).exists();
      }
    }
    soft.assertAll();
  }

  @Test
  void everyVariableIsDescribedTypedAndValidatedWhereItHasARange() {
    SoftAssertions soft = new SoftAssertions();
    all()
        .forEach(
            m ->
                m.variables()
                    .forEach(
                        (name, v) -> {
                          String where = m.name() + ": variable " + name;
                          soft.assertThat(str(v.get("description")))
                              .as(where + " description")
                              .isNotBlank()
                              .isNotEqualTo("null");
                          soft.assertThat(v).as(where + " type").containsKey("type");
                          String type = str(v.get("type"));
                          List<Map<String, Object>> validations = blocks(v.get("validation"));
                          if (type.contains("number")) {
                            soft.assertThat(validations)
                                .as(where + ": a number needs a validation of its range")
                                .isNotEmpty();
                          }
                          for (Map<String, Object> val : validations) {
                            soft.assertThat(str(val.get("error_message")))
                                .as(where + " error_message")
                                .isNotBlank();
                            // hcl4j evaluates a numeric condition with the default (string
                            // functions it evaluates unreliably): a default must pass its range
                            if (type.contains("number") && v.containsKey("default")) {
                              soft.assertThat(val.get("condition"))
                                  .as(where + ": the default fails its own validation")
                                  .isNotEqualTo(Boolean.FALSE);
                            }
                          }
                        }));
    soft.assertAll();
  }

  @Test
  void everyModuleReadmeNamesEveryInputAndOutput() {
    SoftAssertions soft = new SoftAssertions();
    for (Hcl.Module m : modules.values()) {
      String readme = Repo.read(m.dir().resolve("README.md"));
      m.variables().keySet().stream()
          .filter(n -> !n.equals("tags"))
          .forEach(
              n ->
                  soft.assertThat(readme).as(m.name() + "/README.md names input " + n).contains(n));
      m.outputs()
          .keySet()
          .forEach(
              n ->
                  soft.assertThat(readme)
                      .as(m.name() + "/README.md names output " + n)
                      .contains(n));
      m.outputs()
          .forEach(
              (n, o) ->
                  soft.assertThat(str(o.get("description")))
                      .as(m.name() + ": output " + n + " description")
                      .isNotBlank());
    }
    soft.assertAll();
  }

  @Test
  void everyReferenceNamesSomethingDeclared() {
    Pattern var = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_]*)");
    Pattern mod =
        Pattern.compile("\\bmodule\\.([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");
    SoftAssertions soft = new SoftAssertions();
    all()
        .forEach(
            m -> {
              String text = m.text();
              Set<String> declared = m.variables().keySet();
              Matcher v = var.matcher(text);
              while (v.find()) {
                soft.assertThat(declared)
                    .as(m.name() + " uses var." + v.group(1))
                    .contains(v.group(1));
              }
              Map<String, Map<String, Object>> calls = m.moduleCalls();
              Matcher o = mod.matcher(text);
              while (o.find()) {
                Map<String, Object> call = calls.get(o.group(1));
                soft.assertThat(call).as(m.name() + " uses module." + o.group(1)).isNotNull();
                if (call != null) {
                  Hcl.Module target = target(m, call);
                  soft.assertThat(target.outputs().keySet())
                      .as(m.name() + " uses module." + o.group(1) + "." + o.group(2))
                      .contains(o.group(2));
                }
              }
            });
    soft.assertAll();
  }

  @Test
  void moduleCallsPassExactlyWhatTheCalledModuleDeclares() {
    SoftAssertions soft = new SoftAssertions();
    all()
        .forEach(
            m ->
                m.moduleCalls()
                    .forEach(
                        (name, call) -> {
                          Hcl.Module target = target(m, call);
                          Map<String, Map<String, Object>> vars = target.variables();
                          Set<String> passed = new TreeSet<>(call.keySet());
                          passed.removeAll(META_ARGUMENTS);
                          soft.assertThat(vars.keySet())
                              .as(
                                  m.name()
                                      + ": module "
                                      + name
                                      + " -> "
                                      + target.name()
                                      + " declares")
                              .containsAll(passed);
                          vars.forEach(
                              (vn, v) -> {
                                if (!v.containsKey("default")) {
                                  soft.assertThat(passed)
                                      .as(
                                          m.name()
                                              + ": module "
                                              + name
                                              + " must set required "
                                              + vn)
                                      .contains(vn);
                                }
                              });
                        }));
    soft.assertAll();
  }

  static Hcl.Module target(Hcl.Module caller, Map<String, Object> call) {
    Path dir = caller.dir().resolve(str(call.get("source"))).normalize();
    assertThat(dir).as(caller.name() + " calls " + call.get("source")).isDirectory();
    String name = dir.getFileName().toString();
    return modules.containsKey(name) ? modules.get(name) : Hcl.module(dir);
  }

  // ------------------------------------------------------------------ the worker fleet (issue 8)

  /** The pools' groups: one resource with for_each over the pools (issue 8's layout). */
  static Map<String, Object> workerGroup() {
    return only(modules.get("worker_fleet").resources("aws_autoscaling_group"), "worker groups");
  }

  static String fleetText() {
    return modules.get("worker_fleet").text();
  }

  @Test
  void thereIsOneWorkerGroupPerPoolOfTypeZoneAndLifecycle() {
    Map<String, Object> asg = workerGroup();
    // hcl4j resolves local.pools into its own computed object: read the reference from the text
    assertThat(asg).containsKey("for_each");
    assertThat(fleetText())
        .containsPattern(
            "resource \"aws_autoscaling_group\" \"pool\" \\{\\s*for_each = local\\.pools\\n");
    assertThat(list(asg.get("vpc_zone_identifier")).stream().map(Hcl::str))
        .as("one zone per pool")
        .containsExactly("each.value.subnet_id");
    assertThat(fleetText())
        .as("spot pools: every type x every subnet's zone; on-demand pools likewise")
        .contains("setproduct([for t in var.instance_types : t.instance_type], var.subnet_ids)")
        .contains("setproduct(var.on_demand_instance_types, var.subnet_ids)")
        .contains("for p in concat(local.spot_pools, local.on_demand_pools)")
        .contains("join(\".\", [p.lifecycle, p.instance_type, local.zones[p.subnet_id]])");
    assertThat(blocks(asg.get("tag")))
        .as("groups are found by their pool tag")
        .anyMatch(
            t -> "spotbatch:pool".equals(t.get("key")) && "each.key".equals(str(t.get("value"))));
    assertThat(modules.get("worker_fleet").outputs()).containsKeys("pools", "group_prefix");
  }

  @Test
  void everyPoolsGroupLaunchesItsTypeThroughAMixedInstancesPolicyWithPriceCapacityOptimized() {
    Map<String, Object> mip = block(workerGroup(), "mixed_instances_policy");
    Map<String, Object> dist = block(mip, "instances_distribution");
    assertThat(str(dist.get("on_demand_base_capacity")))
        .as("the on-demand base is the autoscaler's")
        .isEqualTo("0");
    assertThat(dist).containsKey("on_demand_percentage_above_base_capacity");
    assertThat(fleetText())
        .contains(
            "on_demand_percentage_above_base_capacity = each.value.lifecycle == \"spot\" ? 0 : 100");
    assertThat(dist.get("spot_allocation_strategy")).isEqualTo("price-capacity-optimized");
    Map<String, Object> lt = block(mip, "launch_template");
    assertThat(block(lt, "launch_template_specification")).containsKey("launch_template_id");
    assertThat(str(block(lt, "override").get("instance_type")))
        .isEqualTo("each.value.instance_type");
  }

  @Test
  void theFleetOffersAtLeastTenWeightedGpuTypesInSeveralZones() {
    Map<String, Map<String, Object>> vars = modules.get("worker_fleet").variables();
    List<Object> defaults = list(vars.get("instance_types").get("default"));
    assertThat(defaults).as("default instance types").hasSizeGreaterThanOrEqualTo(10);
    Set<String> names = new HashSet<>();
    for (Object o : defaults) {
      @SuppressWarnings("unchecked")
      Map<String, Object> t = (Map<String, Object>) o;
      String type = str(t.get("instance_type"));
      names.add(type);
      assertThat(type)
          .as("a GPU type (g*/p* families)")
          .matches("(g4dn|g5|g6|g6e|gr6|p3|p4d|p5)\\.[0-9a-z]+");
      assertThat(((Number) t.get("weight")).doubleValue())
          .as(type + " weight")
          .isGreaterThanOrEqualTo(1);
    }
    assertThat(names).as("distinct types").hasSize(defaults.size());
    assertThat(
            blocks(vars.get("instance_types").get("validation")).stream()
                .map(v -> str(v.get("error_message"))))
        .anyMatch(m -> m.contains("at least 10"));
    assertThat(fleetText())
        .as("weights reach the pools output (the autoscaler's throughput prior)")
        .contains("weight = lookup(local.weights, p.instance_type, 1)", "weight        = p.weight");
    assertThat(blocks(vars.get("subnet_ids").get("validation")))
        .as("several availability zones are required")
        .isNotEmpty();
  }

  @Test
  void capacityRebalancingIsDecidedAndInstancesAreProtectedFromScaleIn() {
    Map<String, Object> asg = workerGroup();
    // issue 8: the dispatcher replaces a noticed worker itself; rebalancing is a choice, off by
    // default
    assertThat(asg).containsKey("capacity_rebalance");
    assertThat(fleetText())
        .contains(
            "capacity_rebalance        = each.value.lifecycle == \"spot\" ? var.capacity_rebalance : false");
    Map<String, Object> rebalance =
        modules.get("worker_fleet").variables().get("capacity_rebalance");
    assertThat(rebalance.get("default")).isEqualTo(Boolean.FALSE);
    assertThat(str(rebalance.get("description"))).contains("dispatcher replaces");
    // issue 8: every instance protected; only the dispatcher removes (idle) workers
    assertThat(asg.get("protect_from_scale_in")).isEqualTo(Boolean.TRUE);
    assertThat(list(block(asg, "lifecycle").get("ignore_changes")).stream().map(Hcl::str))
        .as("the autoscaler owns desired_capacity")
        .contains("desired_capacity");
    List<String> dispatcher =
        actionsOf(modules.get("iam").data("aws_iam_policy_document").get("dispatcher"));
    assertThat(dispatcher)
        .contains(
            "autoscaling:SetDesiredCapacity",
            "autoscaling:SetInstanceProtection",
            "autoscaling:TerminateInstanceInAutoScalingGroup",
            "autoscaling:UpdateAutoScalingGroup");
    assertThat(actionsOf(workerPolicy()))
        .as("workers do not toggle protection (issue 8)")
        .doesNotContain("autoscaling:SetInstanceProtection");
  }

  @Test
  void everyPoolsGroupHasATerminationLifecycleHookTheWorkerCompletes() {
    Map<String, Object> hook = block(workerGroup(), "initial_lifecycle_hook");
    assertThat(hook.get("lifecycle_transition")).isEqualTo("autoscaling:EC2_INSTANCE_TERMINATING");
    assertThat(hook.get("default_result")).isEqualTo("CONTINUE");
    assertThat(str(hook.get("heartbeat_timeout"))).isEqualTo("var.drain_timeout_seconds");
    Map<String, Object> timeout =
        modules.get("worker_fleet").variables().get("drain_timeout_seconds");
    assertThat(((Number) timeout.get("default")).intValue())
        .as("covers a spot notice's 2 minutes")
        .isGreaterThanOrEqualTo(120);

    // the worker may complete it and heartbeat it, and find its group
    assertThat(actionsOf(workerPolicy()))
        .contains(
            "autoscaling:CompleteLifecycleAction",
            "autoscaling:RecordLifecycleActionHeartbeat",
            "autoscaling:DescribeAutoScalingInstances");
    // and learns the hook's name
    assertThat(Repo.read(modules.get("worker_fleet").dir().resolve("main.tf")))
        .containsPattern("SPOTBATCH_WORKER_AWS_LIFECYCLEHOOK\\s+= local.lifecycle_hook_name");
  }

  @Test
  void theWorkerUserDataRunsThePinnedImageWithTheNvidiaRuntimeOnGpuAmis() {
    Path template = modules.get("worker_fleet").dir().resolve("user-data.sh.tftpl");
    String userData = Repo.read(template);
    assertThat(userData)
        .contains(
            "docker run",
            "'${image}'",
            "--gpus all",
            "%{ if gpu ~}",
            "nvidia-smi",
            "--stop-timeout");
    assertThat(userData).doesNotContain("set -x"); // it writes settings; never echo them
    Map<String, Object> lt =
        only(
            modules.get("worker_fleet").resources("aws_launch_template"), "worker launch template");
    assertThat(lt).containsKey("user_data");
    assertThat(block(lt, "iam_instance_profile")).containsKey("name");
    assertThat(modules.get("worker_fleet").text())
        .contains("/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id");
  }

  // ------------------------------------------------------------------ hosts

  @Test
  void everyLaunchTemplateRequiresImdsV2WithHopLimitTwoAndEncryptsItsVolumes() {
    List<String> seen = new ArrayList<>();
    modules
        .values()
        .forEach(
            m ->
                m.resources("aws_launch_template")
                    .forEach(
                        (name, lt) -> {
                          String where = m.name() + "/" + name;
                          seen.add(where);
                          Map<String, Object> md = block(lt, "metadata_options");
                          assertThat(md.get("http_tokens"))
                              .as(where + " IMDSv2 only")
                              .isEqualTo("required");
                          assertThat(md.get("http_endpoint")).as(where).isEqualTo("enabled");
                          assertThat(str(md.get("http_put_response_hop_limit")))
                              .as(where + " hop limit (containers)")
                              .isEqualTo("2");
                          assertThat(md.get("instance_metadata_tags"))
                              .as(where + " tags in metadata")
                              .isEqualTo("enabled");
                          List<Map<String, Object>> disks = blocks(lt.get("block_device_mappings"));
                          assertThat(disks).as(where + " volumes").isNotEmpty();
                          disks.forEach(
                              d ->
                                  assertThat(block(d, "ebs").get("encrypted"))
                                      .as(where + " EBS encrypted")
                                      .isEqualTo(Boolean.TRUE));
                        }));
    assertThat(seen).hasSize(2);
  }

  @Test
  void theDispatcherGetsHashedApiKeysOnly() {
    Hcl.Module d = modules.get("dispatcher");
    Map<String, Object> keys = d.variables().get("api_keys");
    assertThat(keys)
        .as("required: the dispatcher does not start without keys")
        .doesNotContainKey("default");
    assertThat(blocks(keys.get("validation")).stream().map(v -> str(v.get("error_message"))))
        .anyMatch(m -> m.contains("SHA-256"));
    assertThat(d.text())
        .contains("\"SPOTBATCH_SECURITY_KEYS_${i}_HASH\"  = k.sha256")
        .doesNotContainPattern("(?i)token\\s*=");
  }

  @Test
  void theDispatcherRunsOnDemandBehindAnInternalLoadBalancer() {
    Hcl.Module d = modules.get("dispatcher");
    Map<String, Object> lb = only(d.resources("aws_lb"), "load balancer");
    assertThat(lb.get("internal")).isEqualTo(Boolean.TRUE);
    Map<String, Object> asg = only(d.resources("aws_autoscaling_group"), "dispatcher group");
    assertThat(asg).doesNotContainKey("mixed_instances_policy");
    Map<String, Object> lt = only(d.resources("aws_launch_template"), "dispatcher launch template");
    assertThat(lt).as("never spot").doesNotContainKey("instance_market_options");
    assertThat(
            block(only(d.resources("aws_lb_target_group"), "target group"), "health_check")
                .get("path"))
        .isEqualTo("/actuator/health/readiness");
  }

  // ------------------------------------------------------------------ data

  @Test
  void everyQueueIsEncryptedAndTheWorkQueueRedrivesAboveMaxAttempts() {
    Hcl.Module q = modules.get("queues");
    Map<String, Map<String, Object>> queues = q.resources("aws_sqs_queue");
    assertThat(queues.keySet()).contains("main", "dlq");
    queues.forEach(
        (n, queue) ->
            assertThat(
                    queue.containsKey("sqs_managed_sse_enabled")
                        && queue.containsKey("kms_master_key_id"))
                .as("queue " + n + " server-side encryption (SSE-SQS or KMS)")
                .isTrue());
    Map<String, Object> main = queues.get("main");
    String redrive = str(main.get("redrive_policy"));
    assertThat(redrive)
        .as("redrive to the dead-letter queue")
        .contains("deadLetterTargetArn", "maxReceiveCount");
    assertThat(q.text()).contains("maxReceiveCount     = var.max_receive_count");
    Map<String, Map<String, Object>> vars = q.variables();
    assertThat(((Number) vars.get("max_receive_count").get("default")).intValue())
        .as("the DLQ is a backstop above maxAttempts")
        .isGreaterThan(((Number) vars.get("max_attempts").get("default")).intValue());
    assertThat(blocks(block(main, "lifecycle").get("precondition")))
        .as("a precondition refuses max_receive_count <= max_attempts")
        .isNotEmpty();
    assertThat(q.text()).contains("max_receive_count > var.max_attempts");
    assertThat(blocks(q.resources("aws_sqs_queue_redrive_allow_policy").get("dlq"))).isNotEmpty();
  }

  @Test
  void theWorkQueuesVisibilityIsTheWorkersLeaseTime() {
    Hcl.Module q = modules.get("queues");
    assertThat(q.text()).contains("visibility = var.lease_seconds");
    assertThat(str(q.resources("aws_sqs_queue").get("main").get("visibility_timeout_seconds")))
        .isEqualTo("each.value.visibility");
    int queueDefault = ((Number) q.variables().get("lease_seconds").get("default")).intValue();
    int fleetDefault =
        ((Number) modules.get("worker_fleet").variables().get("lease_seconds").get("default"))
            .intValue();
    int stackDefault =
        ((Number) modules.get("spotbatch").variables().get("lease_seconds").get("default"))
            .intValue();
    String workerProperties =
        Repo.read(
            Repo.path("worker/src/main/java/dev/spotbatch/worker/config/WorkerProperties.java"));
    Matcher lease =
        Pattern.compile("@DefaultValue\\(\"(\\d+)s\"\\) Duration leaseTime")
            .matcher(workerProperties);
    assertThat(lease.find()).as("WorkerProperties.leaseTime default").isTrue();
    int workerDefault = Integer.parseInt(lease.group(1));
    assertThat(List.of(queueDefault, fleetDefault, stackDefault)).containsOnly(workerDefault);
    String stack = Repo.read(modules.get("spotbatch").dir().resolve("main.tf"));
    assertThat(stack)
        .containsPattern("module \"queues\"[\\s\\S]*?lease_seconds\\s*=\\s*var\\.lease_seconds");
    assertThat(stack)
        .containsPattern(
            "module \"worker_fleet\"[\\s\\S]*?lease_seconds\\s*=\\s*var\\.lease_seconds");
  }

  @Test
  void theBucketIsEncryptedPrivateTlsOnlyAndExpiresStaging() {
    Hcl.Module s = modules.get("storage");
    Map<String, Object> sse =
        only(
            s.resources("aws_s3_bucket_server_side_encryption_configuration"), "bucket encryption");
    Map<String, Object> rule = block(sse, "rule");
    assertThat(block(rule, "apply_server_side_encryption_by_default").get("sse_algorithm"))
        .isIn("aws:kms", "aws:kms:dsse", "AES256");
    Map<String, Object> pab =
        only(s.resources("aws_s3_bucket_public_access_block"), "public access block");
    for (String k :
        List.of(
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets")) {
      assertThat(pab.get(k)).as(k).isEqualTo(Boolean.TRUE);
    }
    List<Map<String, Object>> statements =
        blocks(only(s.data("aws_iam_policy_document"), "bucket policy").get("statement"));
    assertThat(statements)
        .as("a Deny on aws:SecureTransport = false")
        .anyMatch(
            st ->
                "Deny".equals(st.get("effect"))
                    && blocks(st.get("condition")).stream()
                        .anyMatch(
                            c ->
                                "aws:SecureTransport".equals(c.get("variable"))
                                    && list(c.get("values")).contains("false")));
    List<Map<String, Object>> rules =
        blocks(only(s.resources("aws_s3_bucket_lifecycle_configuration"), "lifecycle").get("rule"));
    assertThat(rules)
        .as("staged records expire")
        .anyMatch(
            r ->
                "var.staging_prefix".equals(str(block(r, "filter").get("prefix")))
                    && r.containsKey("expiration"));
  }

  @Test
  void theDatabaseIsEncryptedPrivateAndItsPasswordLivesInSecretsManager() {
    Hcl.Module d = modules.get("database");
    Map<String, Object> db = only(d.resources("aws_db_instance"), "database");
    assertThat(db.get("storage_encrypted")).isEqualTo(Boolean.TRUE);
    assertThat(db.get("publicly_accessible")).isEqualTo(Boolean.FALSE);
    assertThat(db.get("manage_master_user_password")).isEqualTo(Boolean.TRUE);
    assertThat(db).doesNotContainKey("password");
    assertThat(d.text()).contains("rds.force_ssl");
    assertThat(str(only(d.resources("aws_db_subnet_group"), "subnets").get("subnet_ids")))
        .isEqualTo("var.private_subnet_ids");
  }

  // ------------------------------------------------------------------ IAM

  static Map<String, Object> workerPolicy() {
    return modules.get("iam").data("aws_iam_policy_document").get("worker");
  }

  static List<Map<String, Object>> statements(Map<String, Object> doc) {
    List<Map<String, Object>> all = new ArrayList<>(blocks(doc.get("statement")));
    for (Map<String, Object> dyn : blocks(doc.get("dynamic"))) {
      for (Map<String, Object> st : blocks(dyn.get("statement"))) {
        all.addAll(blocks(st.get("content")));
      }
    }
    return all;
  }

  static List<String> actionsOf(Map<String, Object> doc) {
    return statements(doc).stream()
        .flatMap(s -> list(s.get("actions")).stream())
        .map(Hcl::str)
        .toList();
  }

  @Test
  void noRoleMayUseAWildcardActionAndEveryStatementNamesItsResources() {
    SoftAssertions soft = new SoftAssertions();
    int allowStatements = 0;
    for (Hcl.Module m : modules.values()) {
      for (var doc : m.data("aws_iam_policy_document").entrySet()) {
        for (Map<String, Object> st : statements(doc.getValue())) {
          String where = m.name() + "/" + doc.getKey() + "/" + st.getOrDefault("sid", "?");
          if ("Deny".equals(st.get("effect"))) {
            continue; // a Deny may well cover every action (the bucket's TLS-only policy)
          }
          allowStatements++;
          List<String> actions = list(st.get("actions")).stream().map(Hcl::str).toList();
          soft.assertThat(actions).as(where + " actions").isNotEmpty();
          actions.forEach(a -> soft.assertThat(a).as(where + " action").doesNotContain("*"));
          soft.assertThat(st).as(where + " has no not_actions").doesNotContainKey("not_actions");
          if (doc.getKey().endsWith("_assume")) {
            continue; // a trust policy names principals, not resources
          }
          soft.assertThat(st).as(where + " names its resources").containsKey("resources");
          if (list(st.get("resources")).contains("*")) {
            soft.assertThat(UNSCOPED_ACTIONS)
                .as(where + ": only calls AWS cannot scope may use resource *")
                .containsAll(actions);
          }
        }
      }
      // a policy written as JSON would escape the checks above
      soft.assertThat(m.text())
          .as(m.name() + ": policies as aws_iam_policy_document only")
          .doesNotContainPattern("\"Action\"\\s*[:=]");
      soft.assertThat(m.resources("aws_iam_role_policy_attachment"))
          .as(m.name() + ": no managed policies")
          .isEmpty();
    }
    soft.assertThat(allowStatements).isGreaterThan(15);
    soft.assertAll();
  }

  @Test
  void theRolesReachExactlyThePoolsGroups() {
    String iam = modules.get("iam").text();
    assertThat(iam).contains("autoScalingGroupName/${var.worker_group_prefix}*");
    String stack = Repo.read(modules.get("spotbatch").dir().resolve("main.tf"));
    assertThat(stack).contains("worker_group_prefix = \"${var.name}-w-\"");
    assertThat(fleetText())
        .contains("group_prefix        = \"${var.name}-w-\"")
        .contains("name                      = \"${local.group_prefix}");
  }

  // ------------------------------------------------------------------ monitoring and examples

  @Test
  void cloudWatchAlarmsWatchTheDeadLetterQueuesAndTheBacklogsAge() {
    Map<String, Map<String, Object>> alarms =
        modules.get("monitoring").resources("aws_cloudwatch_metric_alarm");
    Map<String, Object> dlq = alarms.get("dlq_not_empty");
    assertThat(dlq.get("metric_name")).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(str(dlq.get("threshold"))).isEqualTo("0");
    assertThat(dlq.get("comparison_operator")).isEqualTo("GreaterThanThreshold");
    assertThat(alarms.get("backlog_old").get("metric_name"))
        .isEqualTo("ApproximateAgeOfOldestMessage");
    String stack = Repo.read(modules.get("spotbatch").dir().resolve("main.tf"));
    assertThat(stack)
        .contains(
            "dead_letter_queue_names  = [module.queues.work_dlq_name, module.queues.events_dlq_name]");
  }

  @Test
  void theMultiRegionExampleCoversUsEast1UsWest2AndEuWest1() {
    Hcl.Module multi = examples.get("multi-region");
    // hcl4j keeps one of several blocks with the same labels (provider "aws" per alias): read the
    // aliased providers from the text; the files parse (everyTerraformFileParses)
    Set<String> regions = new TreeSet<>();
    Matcher p =
        Pattern.compile(
                "provider\\s+\"aws\"\\s*\\{[^}]*?alias\\s*=\\s*\"[a-z0-9_]+\"\\s*region\\s*=\\s*\"([a-z0-9-]+)\"")
            .matcher(multi.text());
    while (p.find()) {
      regions.add(p.group(1));
    }
    assertThat(regions).containsExactly("eu-west-1", "us-east-1", "us-west-2");
    assertThat(multi.moduleCalls()).hasSize(3);
    multi.moduleCalls().values().forEach(c -> assertThat(c).containsKey("providers"));
  }

  @Test
  void everyExampleTfvarsSetsOnlyDeclaredVariablesAndEveryRequiredOne() {
    SoftAssertions soft = new SoftAssertions();
    for (Hcl.Module e : examples.values()) {
      Map<String, Object> tfvars = Hcl.parse(e.dir().resolve("terraform.tfvars")).body();
      Map<String, Map<String, Object>> vars = e.variables();
      soft.assertThat(vars.keySet())
          .as(e.name() + " declares what terraform.tfvars sets")
          .containsAll(tfvars.keySet());
      vars.forEach(
          (n, v) -> {
            if (!v.containsKey("default")) {
              soft.assertThat(tfvars)
                  .as(e.name() + "/terraform.tfvars sets required " + n)
                  .containsKey(n);
            }
          });
    }
    soft.assertAll();
  }
}
