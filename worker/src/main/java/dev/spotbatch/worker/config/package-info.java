/** Spring Boot wiring only: properties, beans, metrics binding and the worker lifecycle. */
package dev.spotbatch.worker.config;
