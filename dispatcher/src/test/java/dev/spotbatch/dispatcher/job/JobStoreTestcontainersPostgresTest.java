package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The job store on PostgreSQL in a container; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class JobStoreTestcontainersPostgresTest extends JobStoreContract {
  @Container static final PostgreSQLContainer PG = new PostgreSQLContainer("postgres:17-alpine");
  static DataSource ds;

  @BeforeAll
  static void migrate() {
    PGSimpleDataSource d = new PGSimpleDataSource();
    d.setUrl(PG.getJdbcUrl());
    d.setUser(PG.getUsername());
    d.setPassword(PG.getPassword());
    ds = Databases.migrate(d);
  }

  @Override
  DataSource dataSource() {
    return ds;
  }
}
