package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.events.Transactions;
import java.util.function.Supplier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Transactions} on Spring's transaction templates; a savepoint is a nested transaction. */
public final class TemplateTransactions implements Transactions {
  private final TransactionTemplate template;
  private final TransactionTemplate savepoint;

  public TemplateTransactions(PlatformTransactionManager tm) {
    this.template = new TransactionTemplate(tm);
    this.savepoint = new TransactionTemplate(tm);
    savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return template.execute(status -> work.get());
  }

  @Override
  public void isolated(Runnable work) {
    savepoint.executeWithoutResult(status -> work.run());
  }
}
