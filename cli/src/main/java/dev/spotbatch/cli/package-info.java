/**
 * The {@code spotbatch} command-line client: picocli commands over the REST API (v1), with progress
 * bars, table or JSON output and exit codes scripts can rely on.
 */
package dev.spotbatch.cli;
