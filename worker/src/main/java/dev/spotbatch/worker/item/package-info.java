/**
 * One lease's work, read -> infer -> write ({@link dev.spotbatch.worker.item.ChunkPipeline}), and
 * its end, the only place that commits parts and completes, checkpoints, hands back or fails a
 * lease ({@link dev.spotbatch.worker.item.ItemCommitter}), with the events it and the drain publish
 * ({@link dev.spotbatch.worker.item.EventFactory}).
 */
package dev.spotbatch.worker.item;
