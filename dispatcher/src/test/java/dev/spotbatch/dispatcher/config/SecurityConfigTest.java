package dev.spotbatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.security.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;

/** How the dispatcher starts, or refuses to, with each way of giving keys. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigTest {
  @TempDir Path data;

  @Configuration(proxyBeanMethods = false)
  @EnableWebSecurity
  @EnableConfigurationProperties({SecurityProperties.class, SpotbatchProperties.class})
  static class Base {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }
  }

  WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withUserConfiguration(Base.class, SecurityConfig.class)
        .withPropertyValues("spotbatch.data-dir=" + data);
  }

  @Test
  void productionRefusesToStartWithoutKeysAndSaysHowToGiveThem() {
    runner()
        .run(
            c -> {
              assertThat(c).hasFailed();
              Throwable root = c.getStartupFailure();
              while (root.getCause() != null) {
                root = root.getCause();
              }
              assertThat(root.getMessage())
                  .contains("no API keys are configured")
                  .contains("spotbatch.security.keys[0].hash")
                  .contains("sha256sum")
                  .contains("SPOTBATCH_API_TOKEN")
                  .contains("spotbatch.security.mode=open");
            });
  }

  @Test
  void openModeStartsWithALoudWarning(CapturedOutput output) {
    runner()
        .withPropertyValues("spotbatch.security.mode=open")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(output).contains("NO AUTHENTICATION");
            });
  }

  @Test
  void aConfiguredKeyStartsItAndItsHashIsNeverLogged(CapturedOutput output) {
    String hash = Tokens.sha256Hex("s3cret-token");
    runner()
        .withPropertyValues(
            "spotbatch.security.keys[0].name=ops",
            "spotbatch.security.keys[0].hash=" + hash,
            "spotbatch.security.keys[0].roles=fleet")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(output).contains("API keys: [ops [fleet]]").doesNotContain(hash);
            });
  }

  @Test
  void aPlainTokenFromTheEnvironmentIsHashedAndNeverLogged(CapturedOutput output) {
    runner()
        .withPropertyValues("spotbatch.security.token=plain-s3cret")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(c.getBean(SecurityConfig.Keys.class).keys().find("plain-s3cret"))
                  .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("SPOTBATCH_API_TOKEN"));
              assertThat(c.getBean(SecurityProperties.class).toString())
                  .doesNotContain("plain-s3cret");
              assertThat(output).doesNotContain("plain-s3cret");
            });
  }

  @Test
  void theEmbeddedDefaultGeneratesATokenIntoAnOwnerOnlyFileAndLogsOnlyItsPath(
      CapturedOutput output) {
    runner()
        .withPropertyValues("spotbatch.security.local-token=true")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              Path file = data.resolve("api-token");
              String token = Files.readString(file).strip();
              assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
              assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                  .isEqualTo("rw-------");
              assertThat(c.getBean(SecurityConfig.Keys.class).keys().find(token))
                  .hasValueSatisfying(
                      k -> assertThat(k.roles()).hasSize(2)); // the local token has both roles
              assertThat(output).doesNotContain(token);
            });
  }

  @Test
  void theEmbeddedDefaultUsesSpotbatchApiTokenWhenGiven() {
    runner()
        .withPropertyValues("spotbatch.security.local-token=true", "spotbatch.security.token=mine")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(Files.readString(data.resolve("api-token")).strip()).isEqualTo("mine");
            });
  }

  @Test
  void aBadKeyNamesItsPropertyAndWhatToFix() {
    runner()
        .withPropertyValues(
            "spotbatch.security.keys[0].name=ops",
            "spotbatch.security.keys[0].hash=abc",
            "spotbatch.security.keys[0].roles=fleet")
        .run(
            c ->
                assertThat(c.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "spotbatch.security.keys[0]: API key 'ops': hash must be the 64 hex digits"));
    runner()
        .withPropertyValues(
            "spotbatch.security.keys[0].name=ops",
            "spotbatch.security.keys[0].hash=" + Tokens.sha256Hex("x"),
            "spotbatch.security.keys[0].roles=admin")
        .run(
            c ->
                assertThat(c.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "spotbatch.security.keys[0].roles: unknown role 'admin'; use jobs|fleet"));
  }
}
