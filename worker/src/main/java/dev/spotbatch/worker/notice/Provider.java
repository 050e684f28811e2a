package dev.spotbatch.worker.notice;

/** Which cloud's metadata service the worker watches ({@code AUTO}: probe for it). */
public enum Provider {
  AUTO,
  AWS,
  GCP,
  AZURE,
  NONE
}
