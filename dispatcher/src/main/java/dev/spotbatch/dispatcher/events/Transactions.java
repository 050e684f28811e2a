package dev.spotbatch.dispatcher.events;

import java.util.function.Supplier;

/**
 * Runs work in one database transaction (Spring's TransactionTemplate in the app, in tests too).
 */
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);

  /**
   * Runs {@code work} inside the current transaction behind a savepoint: if it throws, only its own
   * writes are rolled back and the exception comes out, so the caller's transaction goes on
   * (PostgreSQL would otherwise refuse every later statement of it).
   */
  void isolated(Runnable work);
}
