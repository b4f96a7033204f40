package io.buildq.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Counts what a process asks of its database, through a JDBC proxy (datasource-proxy) around its
 * pool: statements executed (each row of a batch counts) and rows inserted, updated or deleted.
 * It sees every statement of everything built on the proxied DataSource, JobRunr's included.
 */
final class StatementCounter implements QueryExecutionListener {

    private final LongAdder statements = new LongAdder();
    private final LongAdder rowWrites = new LongAdder();
    private final Map<String, LongAdder> bySql = new ConcurrentHashMap<>();

    DataSource wrap(DataSource dataSource) {
        return ProxyDataSourceBuilder.create("counted", dataSource).listener(this).build();
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        // A batch counts each of its rows; a string of several statements (buildq's enqueue sends
        // three in one round trip on PostgreSQL) counts each of them.
        int count = execution.isBatch() ? Math.max(1, execution.getBatchSize())
                : queries.isEmpty() ? 1 : statementsIn(queries.get(0).getQuery());
        statements.add(count);
        if (!queries.isEmpty()) {
            bySql.computeIfAbsent(shape(queries.get(0).getQuery()), sql -> new LongAdder()).add(count);
        }
        if (!execution.isSuccess() || queries.isEmpty() || !isWrite(queries.get(0).getQuery())) {
            return;
        }
        Object result = execution.getResult();
        if (result instanceof Boolean) {
            // execute(): the rows are in the statement's update counts, one per statement it ran.
            rowWrites.add(updateCounts(execution.getStatement()));
        } else if (result instanceof Integer rows) {
            rowWrites.add(rows);
        } else if (result instanceof Long rows) {
            rowWrites.add(rows);
        } else if (result instanceof int[] batch) {
            for (int rows : batch) {
                rowWrites.add(Math.max(0, rows));
            }
        } else if (result instanceof long[] batch) {
            for (long rows : batch) {
                rowWrites.add(Math.max(0, rows));
            }
        }
    }

    private static int statementsIn(String sql) {
        String trimmed = sql.strip();
        if (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return 1 + (int) trimmed.chars().filter(c -> c == ';').count();
    }

    private static long updateCounts(java.sql.Statement statement) {
        long rows = 0;
        try {
            int count = statement.getUpdateCount();
            while (true) {
                if (count >= 0) {
                    rows += count;
                }
                boolean resultSet = statement.getMoreResults();
                count = statement.getUpdateCount();
                if (!resultSet && count == -1) {
                    return rows;
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the update counts of " + statement, e);
        }
    }

    private static boolean isWrite(String sql) {
        String verb = sql.stripLeading().toLowerCase(Locale.ROOT);
        return verb.startsWith("insert") || verb.startsWith("update") || verb.startsWith("delete")
                || verb.startsWith("merge");
    }

    void reset() {
        statements.reset();
        rowWrites.reset();
        bySql.clear();
    }

    /** The statements counted since the last reset, most frequent first, each as "count  sql". */
    String breakdown(int per) {
        return bySql.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .map(e -> String.format(Locale.ROOT, "%8.2f  %s", e.getValue().sum() / (double) per, e.getKey()))
                .collect(Collectors.joining("\n"));
    }

    private static String shape(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 160 ? oneLine.substring(0, 160) : oneLine;
    }

    long statements() {
        return statements.sum();
    }

    long rowWrites() {
        return rowWrites.sum();
    }
}
