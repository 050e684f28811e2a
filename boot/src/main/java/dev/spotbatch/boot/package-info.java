/**
 * Spring Boot support shared by the dispatcher and the worker: the queue properties, Kafka's
 * included (one set of names and defaults for both apps), and the environment default that turns
 * the SQS client off off SQS.
 */
package dev.spotbatch.boot;
