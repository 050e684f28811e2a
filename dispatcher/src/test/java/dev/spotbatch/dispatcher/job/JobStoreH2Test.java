package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The job store on H2, the embedded default. */
class JobStoreH2Test extends JobStoreContract {
  static DataSource ds;

  @BeforeAll
  static void start() {
    ds = Databases.h2();
  }

  @Override
  DataSource dataSource() {
    return ds;
  }
}
