/**
 * The task chain inside one item's pipeline: clean and chunk each input record, feed the units to
 * the model, and turn the model's vectors into each task's output lines.
 */
package dev.spotbatch.worker.task;
