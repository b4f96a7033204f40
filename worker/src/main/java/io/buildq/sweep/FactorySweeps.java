package io.buildq.sweep;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The records of what Image Factory may still hold for a job row that no running job cleans up after
 * (table {@code buildq_factory_sweep}). {@code JobStore} writes one in the transaction that cancels a
 * row holding an image or a start marker, or fails one while it was starting; a worker writes one
 * when it starts an image again after a search by its marker found nothing, since factory may
 * still have been handling the first POST. {@link #due} gives them back once no start of the row
 * can still be in factory's hands.
 */
public final class FactorySweeps {

    /** One record: the row, the start marker whose images are swept, and how often sweeping it failed. */
    public record Sweep(UUID jobId, String marker, int tries) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public FactorySweeps(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Records a sweep of the images carrying {@code marker}; recording it twice is harmless. */
    public void record(UUID jobId, String marker) {
        String sql = "INSERT INTO buildq_factory_sweep (job_id, marker, created_at, due_at, tries) "
                + "SELECT ?, ?, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM buildq_factory_sweep WHERE job_id = ? AND marker = ?)";
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setObject(1, jobId);
            insert.setString(2, marker);
            insert.setTimestamp(3, now);
            insert.setTimestamp(4, now);
            insert.setObject(5, jobId);
            insert.setString(6, marker);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return; // recorded by another worker at the same moment
            }
            throw new IllegalStateException("cannot record the factory sweep of job " + jobId, e);
        }
    }

    /**
     * The records due now that were written more than {@code settle} ago, oldest first: by then any
     * POST of the row has been given up by its client, so what factory made of it is there to find.
     */
    public List<Sweep> due(Duration settle, int limit) {
        Instant now = clock.instant();
        String sql = "SELECT job_id, marker, tries FROM buildq_factory_sweep "
                + "WHERE due_at <= ? AND created_at <= ? ORDER BY due_at LIMIT " + limit;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, Timestamp.from(now));
            select.setTimestamp(2, Timestamp.from(now.minus(settle)));
            List<Sweep> due = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(new Sweep(rows.getObject(1, UUID.class), rows.getString(2), rows.getInt(3)));
                }
            }
            return due;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the due factory sweeps", e);
        }
    }

    /** The sweep is done: factory holds nothing of it that the row does not keep. */
    public void done(Sweep sweep) {
        update("DELETE FROM buildq_factory_sweep WHERE job_id = ? AND marker = ?", sweep, null);
    }

    /** The row is still starting with the marker: look again at {@code at}. */
    public void postpone(Sweep sweep, Instant at) {
        update("UPDATE buildq_factory_sweep SET due_at = ? WHERE job_id = ? AND marker = ?", sweep, at);
    }

    /** Sweeping failed (factory unreachable): try again at {@code at}, counted, so that the pauses grow. */
    public void failed(Sweep sweep, Instant at) {
        update("UPDATE buildq_factory_sweep SET tries = tries + 1, due_at = ? WHERE job_id = ? AND marker = ?", sweep, at);
    }

    private void update(String sql, Sweep sweep, Instant dueAt) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            if (dueAt != null) {
                statement.setTimestamp(i++, Timestamp.from(dueAt));
            }
            statement.setObject(i++, sweep.jobId());
            statement.setString(i, sweep.marker());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the factory sweep of job " + sweep.jobId(), e);
        }
    }
}
