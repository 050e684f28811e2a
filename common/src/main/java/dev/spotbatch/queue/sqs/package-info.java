/**
 * The Amazon SQS adapters of the work and event queues (AWS SDK v2, async client), and queue setup.
 */
package dev.spotbatch.queue.sqs;
