package dev.spotbatch.model;

/** How a machine was bought: interruptible spot capacity or stable on-demand capacity. */
public enum Lifecycle {
  SPOT,
  ON_DEMAND,
  UNKNOWN
}
