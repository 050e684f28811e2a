/** A small HTTP client for link-local instance-metadata services: short timeouts, no proxy. */
package dev.spotbatch.worker.notice.http;
