/**
 * Models brought by URI: fetched once from the model roots into a bounded local cache (checksums
 * verified, least recently used evicted), then loaded as the descriptor says.
 */
package dev.spotbatch.worker.model;
