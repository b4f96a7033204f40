package io.buildq.baseimage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Which factory base image the targets of one build request share (table {@code buildq_base_image}).
 *
 * <p>Factory installs the OS once per base image; every target image built from a template gets a
 * base image of its own, even when a base image id is sent too (real-install-notes.md Q7,
 * {@code Builder.customize_image_for_target}). Tim built one OS install per image version: the first
 * target POSTs the template and stores the base image id factory answers with; the others send only
 * that id ({@code tim/app/models/tim/target_image.rb} {@code create_factory_target_image}). Across
 * many workers, "the first" is whoever inserts this table's row for the request: the owner. Every
 * change is a single conditional statement, so two workers never both become owner.
 */
public final class SharedBaseImages {

    /** The request's shared base image as the table holds it. */
    public record SharedBase(UUID requestId, UUID ownerJobId, String factoryUrl, String baseImageId) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public SharedBaseImages(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Optional<SharedBase> find(UUID requestId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT owner_job_id, factory_url, base_image_id FROM buildq_base_image WHERE request_id = ?")) {
            select.setObject(1, requestId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SharedBase(requestId, rows.getObject(1, UUID.class), rows.getString(2),
                        rows.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shared base image of request " + requestId, e);
        }
    }

    /**
     * Makes {@code jobId} the owner of a request that has no shared base image yet; false if another
     * job got there first.
     */
    public boolean claim(UUID requestId, UUID jobId, String factoryUrl) {
        // Insert-if-absent in one statement that H2 and PostgreSQL read alike; a concurrent insert
        // of the same key loses on the primary key.
        String sql = "INSERT INTO buildq_base_image (request_id, owner_job_id, factory_url, updated_at) "
                + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM buildq_base_image WHERE request_id = ?)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setObject(1, requestId);
            insert.setObject(2, jobId);
            insert.setString(3, factoryUrl);
            insert.setTimestamp(4, Timestamp.from(clock.instant()));
            insert.setObject(5, requestId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // a unique violation: the other job inserted first
            }
            throw new IllegalStateException("cannot claim the base image of request " + requestId, e);
        }
    }

    /**
     * Takes the ownership over from {@code seen} (an owner that died or failed before it stored a
     * base image id, or a base image factory lost or failed); false if the row changed meanwhile.
     */
    public boolean takeOver(SharedBase seen, UUID jobId, String factoryUrl) {
        String sql = "UPDATE buildq_base_image SET owner_job_id = ?, factory_url = ?, base_image_id = NULL, updated_at = ? "
                + "WHERE request_id = ? AND owner_job_id = ? AND "
                + (seen.baseImageId() == null ? "base_image_id IS NULL" : "base_image_id = ?");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setObject(1, jobId);
            update.setString(2, factoryUrl);
            update.setTimestamp(3, Timestamp.from(clock.instant()));
            update.setObject(4, seen.requestId());
            update.setObject(5, seen.ownerJobId());
            if (seen.baseImageId() != null) {
                update.setString(6, seen.baseImageId());
            }
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take over the base image of request " + seen.requestId(), e);
        }
    }

    /** The owner's POST was accepted: the other targets may now build on {@code baseImageId}. */
    public void stored(UUID requestId, UUID ownerJobId, String baseImageId) {
        String sql = "UPDATE buildq_base_image SET base_image_id = ?, updated_at = ? WHERE request_id = ? AND owner_job_id = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, baseImageId);
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setObject(3, requestId);
            update.setObject(4, ownerJobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the base image of request " + requestId, e);
        }
    }
}
