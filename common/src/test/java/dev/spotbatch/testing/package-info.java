/**
 * Shipped in the test-jar: in-process servers (ElasticMQ, S3Proxy) and the contract suites every
 * work queue ({@code WorkSubmitter} and {@code WorkSource}), event queue and {@code ObjectStore}
 * adapter must pass.
 */
package dev.spotbatch.testing;
