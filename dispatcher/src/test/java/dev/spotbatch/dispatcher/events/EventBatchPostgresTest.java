package dev.spotbatch.dispatcher.events;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spotbatch.dispatcher.Databases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** Batched event application on a real PostgreSQL started in-process, a database per test. */
class EventBatchPostgresTest extends EventBatchContract {
  static EmbeddedPostgres pg;
  static final AtomicInteger databases = new AtomicInteger();
  static final List<HikariDataSource> pools = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pools.forEach(HikariDataSource::close);
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  DataSource dataSource() {
    String name = "events_" + databases.incrementAndGet();
    new JdbcTemplate(pg.getPostgresDatabase()).execute("create database " + name);
    // pooled as in the app: a connection per statement would make this test slow, not stricter
    HikariConfig config = new HikariConfig();
    config.setDataSource(pg.getDatabase("postgres", name));
    config.setMaximumPoolSize(2);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return Databases.migrate(pool);
  }
}
