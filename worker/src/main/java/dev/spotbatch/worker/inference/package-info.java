/**
 * Embedding models (the {@link dev.spotbatch.worker.inference.EmbeddingModel} port), their registry
 * and the batcher that feeds them.
 */
package dev.spotbatch.worker.inference;
