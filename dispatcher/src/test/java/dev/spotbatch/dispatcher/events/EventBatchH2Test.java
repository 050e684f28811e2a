package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.Databases;
import javax.sql.DataSource;

/** Batched event application on H2. */
class EventBatchH2Test extends EventBatchContract {
  @Override
  DataSource dataSource() {
    return Databases.h2();
  }
}
