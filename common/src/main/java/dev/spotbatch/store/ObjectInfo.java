package dev.spotbatch.store;

/** An object's location and size in bytes. */
public record ObjectInfo(StoreUri uri, long size) {}
