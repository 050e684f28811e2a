package dev.spotbatch.dispatcher;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} around a real one that counts the statements run and the rows read through
 * it (each {@code ResultSet.next()} that returns a row), to prove a query's reads are bounded.
 */
public final class CountingDataSource implements DataSource {
  public final AtomicLong statements = new AtomicLong();
  public final AtomicLong rowsRead = new AtomicLong();
  private final DataSource real;

  public CountingDataSource(DataSource real) {
    this.real = real;
  }

  /** Zeroes both counters. */
  public void reset() {
    statements.set(0);
    rowsRead.set(0);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(real.getConnection(), Connection.class);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(real.getConnection(user, password), Connection.class);
  }

  private <T> T wrap(T target, Class<T> type) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result = invoke(target, method, args);
          String name = method.getName();
          if (result instanceof ResultSet rs && !(target instanceof ResultSet)) {
            return wrap(rs, ResultSet.class);
          }
          if (target instanceof ResultSet && name.equals("next") && Boolean.TRUE.equals(result)) {
            rowsRead.incrementAndGet();
          }
          if (target instanceof Statement && name.startsWith("execute")) {
            statements.incrementAndGet();
          }
          if (result instanceof java.sql.PreparedStatement ps) {
            return wrap(ps, java.sql.PreparedStatement.class);
          }
          if (result instanceof Statement s && !(result instanceof java.sql.PreparedStatement)) {
            return wrap(s, Statement.class);
          }
          return result;
        };
    return type.cast(
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}
