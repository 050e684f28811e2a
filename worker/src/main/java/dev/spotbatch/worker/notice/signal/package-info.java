/**
 * SIGTERM as a notice: a JVM shutdown hook that announces it and holds the JVM until the drain is
 * done.
 */
package dev.spotbatch.worker.notice.signal;
