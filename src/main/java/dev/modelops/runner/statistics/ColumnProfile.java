package dev.modelops.runner.statistics;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * One column's statistics at full detail: counts always; for numbers mean, standard deviation (sample), range,
 * quantiles, an equal-width histogram over [min, max] and the counts between its deciles (the bins drift is
 * measured in); for text and booleans the number of distinct values and the most frequent ones.
 */
record ColumnProfile(String name, String type, long count, long missing, Double mean, Double std, Double min,
        Double max, LinkedHashMap<String, Double> quantiles, long[] histogram, double[] decileEdges,
        long[] decileCounts, Long distinct, LinkedHashMap<String, Long> top) {

    static ColumnProfile counts(String name, String type, long count, long missing) {
        return new ColumnProfile(name, type, count, missing, null, null, null, null, null, null, null, null, null,
                null);
    }

    ColumnProfile withBins(long[] histogram, double[] decileEdges, long[] decileCounts) {
        return new ColumnProfile(name, type, count, missing, mean, std, min, max, quantiles, histogram, decileEdges,
                decileCounts, distinct, top);
    }

    ColumnProfile withTop(LinkedHashMap<String, Long> top) {
        return new ColumnProfile(name, type, count, missing, mean, std, min, max, quantiles, histogram, decileEdges,
                decileCounts, distinct, top);
    }

    static final List<Double> QUANTILES = List.of(0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99);
    static final List<String> SUMMARY_QUANTILES = List.of("p05", "p25", "p50", "p75", "p95");
    static final int BINS = 20;
    static final int SUMMARY_BINS = 10;
    static final int TOP = 20;
    static final int SUMMARY_TOP = 5;

    static String quantileName(double q) {
        return String.format(java.util.Locale.ROOT, "p%02d", Math.round(q * 100));
    }

    /** The histogram with adjacent bins merged into {@code bins} (the full one has a multiple of it). */
    long[] histogram(int bins) {
        if (histogram == null) {
            return null;
        }
        long[] merged = new long[bins];
        int per = histogram.length / bins;
        for (int i = 0; i < histogram.length; i++) {
            merged[Math.min(bins - 1, i / per)] += histogram[i];
        }
        return merged;
    }
}
