/**
 * Spring Boot support shared by the dispatcher and the worker: the Kafka queue properties (one set
 * of names for both apps) and the environment default that turns the SQS client off off SQS.
 */
package dev.spotbatch.boot;
