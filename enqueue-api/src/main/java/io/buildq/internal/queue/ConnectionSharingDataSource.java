package io.buildq.internal.queue;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Lets JobRunr write inside a transaction that is not its own. JobRunr's storage takes a connection
 * from its DataSource, commits and closes it; while {@link #share} runs, this DataSource hands it
 * the caller's connection instead, with commit, rollback, auto-commit changes and close ignored, so
 * that the job is committed (or rolled back) together with the caller's rows. At any other time it
 * is the DataSource it wraps.
 */
public final class ConnectionSharingDataSource implements DataSource {

    private final DataSource delegate;
    private final ThreadLocal<Connection> shared = new ThreadLocal<>();

    public ConnectionSharingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code action} with every connection taken from this DataSource on this thread being {@code connection}. */
    public void share(Connection connection, Runnable action) {
        Connection before = shared.get();
        shared.set(connection);
        try {
            action.run();
        } finally {
            if (before == null) {
                shared.remove();
            } else {
                shared.set(before);
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = shared.get();
        return connection == null ? delegate.getConnection() : withoutTransactionControl(connection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Connection connection = shared.get();
        return connection == null ? delegate.getConnection(username, password) : withoutTransactionControl(connection);
    }

    private static Connection withoutTransactionControl(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close", "commit", "rollback", "setAutoCommit":
                            return null; // the transaction belongs to the caller of share()
                        case "isClosed":
                            return false;
                        default:
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
