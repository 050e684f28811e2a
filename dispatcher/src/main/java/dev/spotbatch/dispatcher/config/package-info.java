/**
 * Spring Boot wiring only: properties, beans, lifecycle, and the embedded SQS server and Kafka
 * broker of the local profile.
 */
package dev.spotbatch.dispatcher.config;
