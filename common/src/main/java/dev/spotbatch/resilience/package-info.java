/** The one retry and circuit-breaker policy every cloud adapter uses for transient errors. */
package dev.spotbatch.resilience;
