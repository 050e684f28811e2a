/**
 * Recovery: the reconciler that re-sends items a crash or a lost message left behind, and the
 * dead-letter sweeper that ends items the broker gave up on as failed, with their reason.
 */
package dev.spotbatch.dispatcher.recovery;
