/** The spot worker: its runtime (start and the ordered stop chain), metrics and main class. */
package dev.spotbatch.worker;
