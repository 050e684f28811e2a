/** Spring Boot wiring only: properties, beans, the embedded SQS server and lifecycle. */
package dev.spotbatch.dispatcher.config;
