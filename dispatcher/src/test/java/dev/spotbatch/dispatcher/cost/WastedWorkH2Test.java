package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.Databases;
import javax.sql.DataSource;

/** Wasted work and machine time on H2 (the embedded default's database). */
class WastedWorkH2Test extends WastedWorkContract {
  @Override
  DataSource dataSource() {
    return Databases.h2();
  }
}
