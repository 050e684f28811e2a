/**
 * In-process stand-ins for cloud services that answer exactly as the provider documents them (an
 * AWS IMDSv2 endpoint, a single-node Kafka broker), so the production code paths run on one machine
 * and in tests; no production jar contains them.
 */
package dev.spotbatch.localcloud;
