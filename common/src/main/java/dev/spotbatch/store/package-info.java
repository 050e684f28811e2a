/** The object store port and its location type. Adapters live in {@code .s3} and {@code .local}. */
package dev.spotbatch.store;
