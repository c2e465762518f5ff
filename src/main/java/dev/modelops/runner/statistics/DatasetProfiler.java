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
 * every column, one for the bin counts of the numeric ones (equal-width histogram and decile bins), and one grouping
 * per categorical column.
 */
final class DatasetProfiler {

    private static final String DECILES = "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]";

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
                String x = number(c.name());
                aggregates.add("count(" + c.sql() + ")");
                if (c.numeric()) {
                    aggregates.add("avg(" + x + ")");
                    aggregates.add("stddev_samp(" + x + ")");
                    aggregates.add("min(" + x + ")");
                    aggregates.add("max(" + x + ")");
                    aggregates.add("quantile_cont(" + x + ", " + quantiles + ")");
                    aggregates.add("quantile_disc(" + x + ", " + DECILES + ")");
                } else if (c.categorical()) {
                    aggregates.add("count(DISTINCT " + c.sql() + ")");
                }
            }
            List<ColumnProfile> profiles = new ArrayList<>();
            List<double[]> decileEdges = new ArrayList<>();
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
                        decileEdges.add(edges(rs.getArray(at++)));
                        profiles.add(new ColumnProfile(c.name(), c.type(), count, rows - count, mean, std, min, max, q,
                                null, null, null, null, null));
                    } else if (c.categorical()) {
                        profiles.add(new ColumnProfile(c.name(), c.type(), count, rows - count, null, null, null,
                                null, null, null, null, null, rs.getLong(at++), null));
                    } else {
                        profiles.add(ColumnProfile.counts(c.name(), c.type(), count, rows - count));
                    }
                }
            }
            return withBinsAndTop(dataset, statement, profiles, decileEdges);
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
    }

    private static List<ColumnProfile> withBinsAndTop(Dataset dataset, Statement statement,
            List<ColumnProfile> profiles, List<double[]> decileEdges) throws SQLException {
        List<ColumnProfile> numeric = profiles.stream().filter(p -> p.quantiles() != null).toList();
        List<String> counts = new ArrayList<>();
        for (int i = 0; i < numeric.size(); i++) {
            ColumnProfile p = numeric.get(i);
            if (p.min() != null) {
                counts.add(Bins.counts(number(p.name()), p.min(), p.max(), ColumnProfile.BINS));
                counts.add(Bins.countsBetween(number(p.name()), decileEdges.get(i)));
            }
        }
        List<ColumnProfile> done = new ArrayList<>(profiles);
        if (!counts.isEmpty()) {
            try (ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", counts) + " FROM "
                    + dataset.source())) {
                rs.next();
                int at = 1;
                for (int i = 0; i < numeric.size(); i++) {
                    ColumnProfile p = numeric.get(i);
                    if (p.min() == null) {
                        continue;
                    }
                    long[] histogram = longs(rs, at, ColumnProfile.BINS);
                    at += histogram.length;
                    long[] between = longs(rs, at, decileEdges.get(i).length + 1);
                    at += between.length;
                    done.set(profiles.indexOf(p), p.withBins(histogram, decileEdges.get(i), between));
                }
            }
        }
        for (int i = 0; i < done.size(); i++) {
            ColumnProfile p = done.get(i);
            if (p.distinct() != null) {
                done.set(i, p.withTop(top(dataset, statement, p.name())));
            }
        }
        return done;
    }

    private static String number(String name) {
        return "CAST(" + Sql.identifier(name) + " AS DOUBLE)";
    }

    private static long[] longs(ResultSet rs, int from, int n) throws SQLException {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = rs.getLong(from + i);
        }
        return values;
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

    /** The distinct deciles, rounded as the JSON keeps them, so that new data is binned at the same edges. */
    private static double[] edges(Array array) throws SQLException {
        if (array == null) {
            return new double[0];
        }
        return java.util.Arrays.stream((Object[]) array.getArray()).filter(v -> v != null)
                .mapToDouble(v -> StatisticsJson.round(((Number) v).doubleValue())).distinct().sorted().toArray();
    }
}
