/**
 * Spring Boot wiring only: properties, beans and lifecycle of the dispatcher; the embedded
 * default's in-process servers plug in through {@code EmbeddedQueueServer} (spotbatch-local).
 */
package dev.spotbatch.dispatcher.config;
