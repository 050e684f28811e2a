/**
 * The work and event queues on Apache Kafka 4.2+ share groups (KIP-932): per-record acquisition
 * locks give a true lease (RENEW, ACCEPT, RELEASE, REJECT), plus delay-tier topics for retries, an
 * explicit dead-letter topic, and the topic/group set-up.
 */
package dev.spotbatch.queue.kafka;
