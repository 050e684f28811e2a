package dev.spotbatch.worker.config;

import dev.spotbatch.resilience.SdkRetries;
import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SQS and S3 clients Spring Cloud AWS builds, without the SDK's own retries: their calls run
 * under {@link dev.spotbatch.resilience.CloudCalls}, the one retry layer (see {@link SdkRetries}).
 */
@Configuration(proxyBeanMethods = false)
class AwsClientRetries {
  @Bean
  SqsAsyncClientCustomizer sqsWithoutSdkRetries() {
    return builder -> builder.overrideConfiguration(SdkRetries::off);
  }

  @Bean
  S3ClientCustomizer s3WithoutSdkRetries() {
    return builder -> builder.overrideConfiguration(SdkRetries::off);
  }
}
