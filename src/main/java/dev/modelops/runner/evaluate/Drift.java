package dev.modelops.runner.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.runner.data.Bins;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift of a dataset against the statistics a version recorded: the population stability index of each column,
 * PSI = sum over bins of (a - e) ln(a / e), where e and a are the shares of the recorded and the new rows in the
 * bin, each at least 1e-4. Numeric columns use the recorded decile bins (about a tenth of the recorded rows each),
 * else the recorded histogram's (equal-width over the recorded [min, max], values outside in the end bins);
 * categorical ones the recorded top values and one bin for all others.
 * Missing values are left out.
 */
final class Drift {

    static final double FLOOR = 1e-4;

    private Drift() {
    }

    /** PSI by column name, for the columns both the statistics and the dataset have. */
    static Map<String, Double> psi(JsonNode statistics, Dataset dataset) {
        Map<String, Double> psi = new LinkedHashMap<>();
        JsonNode columns = statistics.path("columns");
        try (Statement statement = dataset.connection().createStatement()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Column column = dataset.column(entry.getKey()).orElse(null);
                JsonNode recorded = entry.getValue();
                if (column == null) {
                    continue;
                }
                if (recorded.path("deciles").path("counts").isArray() && column.numeric()) {
                    psi.put(column.name(), deciles(statement, dataset, column, recorded.get("deciles")));
                } else if (recorded.path("histogram").isArray() && recorded.path("min").isNumber()
                        && recorded.path("max").isNumber() && column.numeric()) {
                    psi.put(column.name(), numeric(statement, dataset, column, recorded));
                } else if (recorded.path("top").isObject()) {
                    psi.put(column.name(), categorical(statement, dataset, column, recorded));
                }
            }
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
        return psi;
    }

    private static double numeric(Statement statement, Dataset dataset, Column column, JsonNode recorded)
            throws SQLException {
        long[] expected = longs(recorded.get("histogram"));
        return index(expected, counted(statement, dataset, Bins.counts(asDouble(column),
                recorded.get("min").asDouble(), recorded.get("max").asDouble(), expected.length), expected.length));
    }

    private static double deciles(Statement statement, Dataset dataset, Column column, JsonNode deciles)
            throws SQLException {
        double[] edges = new double[deciles.path("edges").size()];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = deciles.get("edges").get(i).asDouble();
        }
        long[] expected = longs(deciles.get("counts"));
        if (expected.length != edges.length + 1) {
            return 0;
        }
        return index(expected, counted(statement, dataset, Bins.countsBetween(asDouble(column), edges),
                expected.length));
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static String asDouble(Column column) {
        return "CAST(" + column.sql() + " AS DOUBLE)";
    }

    /** The dataset's counts in each bin, as the select list of bin counts gives them. */
    private static long[] counted(Statement statement, Dataset dataset, String binCounts, int bins)
            throws SQLException {
        long[] counts = new long[bins];
        try (ResultSet rs = statement.executeQuery("SELECT " + binCounts + " FROM " + dataset.source())) {
            rs.next();
            for (int i = 0; i < bins; i++) {
                counts[i] = rs.getLong(i + 1);
            }
        }
        return counts;
    }

    private static double categorical(Statement statement, Dataset dataset, Column column, JsonNode recorded)
            throws SQLException {
        List<String> values = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        recorded.get("top").fields().forEachRemaining(e -> {
            values.add(e.getKey());
            expected.add(e.getValue().asLong());
        });
        long others = recorded.path("count").asLong() - expected.stream().mapToLong(Long::longValue).sum();
        long[] e = new long[values.size() + 1];
        for (int i = 0; i < values.size(); i++) {
            e[i] = expected.get(i);
        }
        e[values.size()] = Math.max(0, others);
        long[] a = new long[e.length];
        try (ResultSet rs = statement.executeQuery("SELECT CAST(" + column.sql() + " AS VARCHAR), count(*) FROM "
                + dataset.source() + " WHERE " + column.sql() + " IS NOT NULL GROUP BY 1")) {
            while (rs.next()) {
                int at = values.indexOf(rs.getString(1));
                a[at < 0 ? values.size() : at] += rs.getLong(2);
            }
        }
        return index(e, a);
    }

    static double index(long[] expected, long[] actual) {
        double expectedTotal = 0;
        double actualTotal = 0;
        for (int i = 0; i < expected.length; i++) {
            expectedTotal += expected[i];
            actualTotal += actual[i];
        }
        if (expectedTotal == 0 || actualTotal == 0) {
            return 0;
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(FLOOR, expected[i] / expectedTotal);
            double a = Math.max(FLOOR, actual[i] / actualTotal);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }
}
