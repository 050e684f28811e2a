/** A sample translator plugin, built by the project's own build and used in the worker's tests. */
package dev.spotbatch.sample;
