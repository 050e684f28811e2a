/**
 * Translator plugins ({@link dev.spotbatch.spi.Translator}) found in the worker's plugin directory,
 * each jar in a class loader of its own.
 */
package dev.spotbatch.worker.plugin;
