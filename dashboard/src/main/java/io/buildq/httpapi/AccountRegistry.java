package io.buildq.httpapi;

import io.buildq.push.ProviderAccount;
import io.buildq.secret.CredentialCipher;
import io.buildq.secret.NoSecretKeyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Provider accounts registered by name (table {@code buildq_account}), their credentials sealed with
 * the installation's key and bound to the account's id, so that a row copied under another name
 * does not open. Checked as {@link ProviderAccount} checks an account given with a request.
 */
final class AccountRegistry {

    private final DataSource dataSource;
    private final CredentialCipher cipher;
    private final Clock clock;

    /** @param cipher the installation's key; null on a server without one, which then refuses to register */
    AccountRegistry(DataSource dataSource, CredentialCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = cipher;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An account as the API shows it: never its credentials. */
    record Registered(String name, String target, String factoryProvider, String accountIdentifier, Instant createdAt,
                      Instant updatedAt) {
    }

    /**
     * Registers an account under its provider name, or replaces the one registered under it.
     *
     * @return true if it was new
     */
    boolean put(ProviderAccount account) {
        if (cipher == null) {
            throw new NoSecretKeyException();
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<Registered> existing = find(connection, account.providerName());
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM buildq_account WHERE name = ?")) {
                    delete.setString(1, account.providerName());
                    delete.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO buildq_account (name, id, target,"
                        + " factory_provider, account_identifier, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, account.providerName());
                    insert.setObject(2, id);
                    insert.setString(3, account.target());
                    insert.setString(4, account.factoryProvider());
                    insert.setString(5, account.accountIdentifier());
                    insert.setString(6, cipher.seal(account.credentials(), id));
                    insert.setTimestamp(7, Timestamp.from(existing.map(Registered::createdAt).orElse(now)));
                    insert.setTimestamp(8, Timestamp.from(now));
                    insert.executeUpdate();
                }
                connection.commit();
                return existing.isEmpty();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register account " + account.providerName() + ": " + e.getMessage(), e);
        }
    }

    Optional<Registered> registered(String name) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read account " + name + ": " + e.getMessage(), e);
        }
    }

    List<Registered> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM buildq_account ORDER BY name");
             ResultSet rows = select.executeQuery()) {
            List<Registered> accounts = new ArrayList<>();
            while (rows.next()) {
                accounts.add(registered(rows));
            }
            return accounts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the accounts: " + e.getMessage(), e);
        }
    }

    /**
     * The account with its credentials opened, for the queue; empty if none is registered so.
     */
    Optional<ProviderAccount> open(String name) {
        if (cipher == null) {
            throw new NoSecretKeyException();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT name, target, factory_provider, id, sealed FROM buildq_account WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String credentials = cipher.open(rows.getString(5), rows.getObject(4, UUID.class));
                return Optional.of(new ProviderAccount(rows.getString(1), rows.getString(2), rows.getString(3), credentials));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read account " + name + ": " + e.getMessage(), e);
        }
    }

    private static final String COLUMNS = "name, target, factory_provider, account_identifier, created_at, updated_at";

    private static Optional<Registered> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM buildq_account WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(registered(rows)) : Optional.empty();
            }
        }
    }

    private static Registered registered(ResultSet rows) throws SQLException {
        return new Registered(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getTimestamp(5).toInstant(), rows.getTimestamp(6).toInstant());
    }
}
