/**
 * Shipped in the test-jar: in-process servers (ElasticMQ, S3Proxy) and the contract suites every
 * {@code WorkQueue} and {@code ObjectStore} adapter must pass.
 */
package dev.spotbatch.testing;
