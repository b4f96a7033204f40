package io.buildq.httpapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The HTTP API's bearer tokens, in table {@code buildq_api_token}: 256 random bits each, of which only
 * the SHA-256 is stored (a token that random needs no slow hash: nobody can guess one to test against
 * the table), so that a copy of the database does not give access to the API.
 */
public final class ApiTokens {

    /** Tokens start with this, so that a leaked one is recognised by secret scanners and people. */
    static final String PREFIX = "bq_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** How stale {@code last_used_at} may get: one write a minute per token, not one per request. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a token for a client and returns it: the only time it can be read.
     *
     * @throws IllegalArgumentException the name is not 1 to 64 letters, digits, dots, dashes or
     *                                  underscores, or a token of that name exists (revoked or not)
     */
    public String create(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name is 1 to 64 letters, digits, '.', '-' or '_', starting with a"
                    + " letter or digit; was '" + name + "'");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO buildq_api_token (name, token_sha256, created_at) VALUES (?, ?, ?)")) {
            if (find(connection, name).isPresent()) {
                throw new IllegalArgumentException("a token named '" + name + "' exists already (revoked tokens keep"
                        + " their names); choose another name");
            }
            insert.setString(1, name);
            insert.setString(2, sha256(token));
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.executeUpdate();
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the token: " + e.getMessage(), e);
        }
    }

    /** Every token, revoked ones too, by name. */
    public List<ApiToken> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT name, created_at, last_used_at, revoked_at FROM buildq_api_token ORDER BY name");
             ResultSet rows = select.executeQuery()) {
            List<ApiToken> tokens = new ArrayList<>();
            while (rows.next()) {
                tokens.add(token(rows));
            }
            return tokens;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the tokens: " + e.getMessage(), e);
        }
    }

    /**
     * Revokes a token: requests carrying it are refused from now on.
     *
     * @return false if there is no valid token of that name
     */
    public boolean revoke(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE buildq_api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setString(2, name);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke the token: " + e.getMessage(), e);
        }
    }

    /** The name of the valid token {@code presented} is, if it is one; notes its use. */
    public Optional<String> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT name, created_at, last_used_at, revoked_at FROM buildq_api_token WHERE token_sha256 = ?")) {
            select.setString(1, sha256(presented));
            ApiToken token;
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                token = token(rows);
            }
            if (token.isRevoked()) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            if (token.lastUsedAt() == null || token.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
                try (PreparedStatement used = connection.prepareStatement(
                        "UPDATE buildq_api_token SET last_used_at = ? WHERE name = ?")) {
                    used.setTimestamp(1, Timestamp.from(now));
                    used.setString(2, token.name());
                    used.executeUpdate();
                }
            }
            return Optional.of(token.name());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the token: " + e.getMessage(), e);
        }
    }

    private static Optional<ApiToken> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, created_at, last_used_at, revoked_at FROM buildq_api_token WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
    }

    private static ApiToken token(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getString(1), instant(rows.getTimestamp(2)), instant(rows.getTimestamp(3)),
                instant(rows.getTimestamp(4)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
