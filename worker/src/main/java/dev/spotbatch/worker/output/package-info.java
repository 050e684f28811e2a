/** Writing result parts and record-error parts to the object store, atomically. */
package dev.spotbatch.worker.output;
