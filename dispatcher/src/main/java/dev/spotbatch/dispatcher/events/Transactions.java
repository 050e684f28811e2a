package dev.spotbatch.dispatcher.events;

import java.util.function.Supplier;

/**
 * Runs work in one database transaction (Spring's TransactionTemplate in the app, in tests too).
 */
@FunctionalInterface
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);
}
