package dev.spotbatch.drain;

/** What a draining worker does with one leased item. */
public enum DrainDecision {
  /** Its expected remaining time fits before the deadline minus the margin: let it finish. */
  FINISH,
  /**
   * Stop at the next chunk boundary, commit the records done as a checkpoint part and re-queue the
   * remainder from that offset (handed back instead if nothing is done yet).
   */
  CHECKPOINT,
  /** Nothing processed yet: re-queue the same range as a continuation (interruption +1). */
  HAND_BACK
}
