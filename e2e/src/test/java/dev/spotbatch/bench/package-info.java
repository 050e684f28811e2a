/**
 * Benchmarks run by {@code ./bench.sh}; each measures spotbatch against a bare baseline in one run.
 */
package dev.spotbatch.bench;
