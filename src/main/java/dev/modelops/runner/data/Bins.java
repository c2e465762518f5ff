package dev.modelops.runner.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Equal-width bins over [min, max] in SQL: the histograms of compute-statistics, and the binning of new data against
 * them when evaluate measures drift. Values outside [min, max] fall in the first or last bin.
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
}
