package dev.modelops.runner.statistics;

import dev.modelops.runner.data.Bins;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.data.Sql;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Per-column statistics of a dataset in SQL (DuckDB): one scan for counts, moments, ranges and exact quantiles of
 * every column, one for the histograms of the numeric ones, and one grouping per categorical column.
 */
final class DatasetProfiler {

    private DatasetProfiler() {
    }

    static List<ColumnProfile> profile(Dataset dataset) {
        try (Statement statement = dataset.connection().createStatement()) {
            List<Column> columns = dataset.columns();
            List<String> aggregates = new ArrayList<>();
            aggregates.add("count(*)");
            String quantiles = ColumnProfile.QUANTILES.stream().map(Object::toString)
                    .collect(Collectors.joining(", ", "[", "]"));
            for (Column c : columns) {
                String x = c.numeric() ? "CAST(" + c.sql() + " AS DOUBLE)" : c.sql();
                aggregates.add("count(" + c.sql() + ")");
                if (c.numeric()) {
                    aggregates.add("avg(" + x + ")");
                    aggregates.add("stddev_samp(" + x + ")");
                    aggregates.add("min(" + x + ")");
                    aggregates.add("max(" + x + ")");
                    aggregates.add("quantile_cont(" + x + ", " + quantiles + ")");
                } else if (c.categorical()) {
                    aggregates.add("count(DISTINCT " + c.sql() + ")");
                }
            }
            List<ColumnProfile> profiles = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM "
                    + dataset.source())) {
                rs.next();
                long rows = rs.getLong(1);
                int at = 2;
                for (Column c : columns) {
                    long count = rs.getLong(at++);
                    if (c.numeric()) {
                        Double mean = real(rs, at++);
                        Double std = real(rs, at++);
                        Double min = real(rs, at++);
                        Double max = real(rs, at++);
                        LinkedHashMap<String, Double> q = quantiles(rs.getArray(at++));
                        profiles.add(new ColumnProfile(c.name(), c.type(), count, rows - count, mean, std, min, max, q,
                                null, null, null));
                    } else if (c.categorical()) {
                        long distinct = rs.getLong(at++);
                        profiles.add(new ColumnProfile(c.name(), c.type(), count, rows - count, null, null, null,
                                null, null, null, distinct, null));
                    } else {
                        profiles.add(new ColumnProfile(c.name(), c.type(), count, rows - count, null, null, null,
                                null, null, null, null, null));
                    }
                }
            }
            return withTopAndHistograms(dataset, statement, profiles);
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
    }

    private static List<ColumnProfile> withTopAndHistograms(Dataset dataset, Statement statement,
            List<ColumnProfile> profiles) throws SQLException {
        List<ColumnProfile> numeric = profiles.stream().filter(p -> p.min() != null && p.max() != null).toList();
        List<long[]> histograms = histograms(dataset, statement, numeric);
        List<ColumnProfile> done = new ArrayList<>();
        for (ColumnProfile p : profiles) {
            int n = numeric.indexOf(p);
            if (n >= 0) {
                p = new ColumnProfile(p.name(), p.type(), p.count(), p.missing(), p.mean(), p.std(), p.min(), p.max(),
                        p.quantiles(), histograms.get(n), null, null);
            } else if (p.distinct() != null) {
                p = new ColumnProfile(p.name(), p.type(), p.count(), p.missing(), null, null, null, null, null, null,
                        p.distinct(), top(dataset, statement, p.name()));
            }
            done.add(p);
        }
        return done;
    }

    /** Equal-width bins over [min, max]; the last bin holds max; missing values are in none. */
    private static List<long[]> histograms(Dataset dataset, Statement statement, List<ColumnProfile> numeric)
            throws SQLException {
        if (numeric.isEmpty()) {
            return List.of();
        }
        List<String> counts = new ArrayList<>();
        for (ColumnProfile p : numeric) {
            counts.add(Bins.counts("CAST(" + Sql.identifier(p.name()) + " AS DOUBLE)", p.min(), p.max(),
                    ColumnProfile.BINS));
        }
        List<long[]> histograms = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", counts) + " FROM "
                + dataset.source())) {
            rs.next();
            int at = 1;
            for (int i = 0; i < numeric.size(); i++) {
                long[] h = new long[ColumnProfile.BINS];
                for (int b = 0; b < h.length; b++) {
                    h[b] = rs.getLong(at++);
                }
                histograms.add(h);
            }
        }
        return histograms;
    }

    private static LinkedHashMap<String, Long> top(Dataset dataset, Statement statement, String name)
            throws SQLException {
        String c = Sql.identifier(name);
        LinkedHashMap<String, Long> top = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery("SELECT CAST(" + c + " AS VARCHAR) v, count(*) n FROM "
                + dataset.source() + " WHERE " + c + " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT "
                + ColumnProfile.TOP)) {
            while (rs.next()) {
                top.put(rs.getString(1), rs.getLong(2));
            }
        }
        return top;
    }

    private static Double real(ResultSet rs, int at) throws SQLException {
        double value = rs.getDouble(at);
        return rs.wasNull() ? null : value;
    }

    private static LinkedHashMap<String, Double> quantiles(Array array) throws SQLException {
        LinkedHashMap<String, Double> named = new LinkedHashMap<>();
        if (array == null) {
            return named;
        }
        Object[] values = (Object[]) array.getArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                named.put(ColumnProfile.quantileName(ColumnProfile.QUANTILES.get(i)), ((Number) values[i]).doubleValue());
            }
        }
        return named;
    }
}
