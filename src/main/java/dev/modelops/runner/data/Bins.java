package dev.modelops.runner.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Bins in SQL: equal-width over [min, max] (the histograms of compute-statistics; values outside fall in the first
 * or last bin) or cut at given edges (its decile bins), and the binning of new data against them when evaluate
 * measures drift. Missing values are in no bin.
 */
public final class Bins {

    private Bins() {
    }

    /** The bin number (0 .. bins-1) of the SQL expression {@code x}, NULL when it is NULL. */
    public static String bucket(String x, double min, double max, int bins) {
        double width = (max - min) / bins;
        if (!(width > 0)) {
            return "CASE WHEN " + x + " IS NULL THEN NULL ELSE 0 END";
        }
        return "least(greatest(CAST(floor((" + x + " - (" + min + ")) / " + width + ") AS BIGINT), 0), " + (bins - 1)
                + ")";
    }

    /** Select-list items counting the rows in each bin, in bin order. */
    public static String counts(String x, double min, double max, int bins) {
        String bucket = bucket(x, min, max, bins);
        List<String> counts = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            counts.add("count(" + x + ") FILTER (WHERE " + bucket + " = " + b + ")");
        }
        return String.join(", ", counts);
    }

    /**
     * Select-list items counting the rows in each of the bins that the ascending {@code edges} cut: below the
     * first, between each two (the lower included), and from the last up.
     */
    public static String countsBetween(String x, double[] edges) {
        List<String> counts = new ArrayList<>();
        for (int i = 0; i <= edges.length; i++) {
            List<String> bounds = new ArrayList<>();
            if (i > 0) {
                bounds.add(x + " >= " + edges[i - 1]);
            }
            if (i < edges.length) {
                bounds.add(x + " < " + edges[i]);
            }
            counts.add("count(" + x + ")" + (bounds.isEmpty() ? "" : " FILTER (WHERE " + String.join(" AND ", bounds)
                    + ")"));
        }
        return String.join(", ", counts);
    }
}
