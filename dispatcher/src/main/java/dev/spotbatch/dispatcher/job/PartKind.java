package dev.spotbatch.dispatcher.job;

/** A committed output part holds results ({@code DATA}) or record errors ({@code ERROR}). */
public enum PartKind {
  DATA,
  ERROR
}
