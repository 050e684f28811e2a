package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.Databases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Wasted work and machine time on a real PostgreSQL (zonky embedded), a database per test. */
class WastedWorkPostgresTest extends WastedWorkContract {
  static EmbeddedPostgres pg;
  static final AtomicInteger n = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  DataSource dataSource() throws Exception {
    String name = "cost" + n.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    return Databases.migrate(pg.getDatabase("postgres", name));
  }
}
