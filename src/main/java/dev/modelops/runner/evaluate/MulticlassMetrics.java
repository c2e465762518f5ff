package dev.modelops.runner.evaluate;

import dev.modelops.runner.model.Prediction;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Multiclass classification: accuracy and macro F1 (the mean F1 of the classes seen as truth or prediction). */
final class MulticlassMetrics implements Metrics {

    private final Map<String, long[]> counts = new TreeMap<>(); // class -> {tp, fp, fn}
    private final Set<String> seen = new TreeSet<>();
    private long n;
    private long correct;

    @Override
    public void add(Object truth, Prediction prediction) {
        String actual = Metrics.className(truth);
        String predicted = prediction.label();
        n++;
        seen.add(actual);
        seen.add(predicted);
        if (actual.equals(predicted)) {
            correct++;
            counts.computeIfAbsent(actual, c -> new long[3])[0]++;
        } else {
            counts.computeIfAbsent(predicted, c -> new long[3])[1]++;
            counts.computeIfAbsent(actual, c -> new long[3])[2]++;
        }
    }

    @Override
    public Map<String, Double> values() {
        double f1Sum = 0;
        for (String c : seen) {
            long[] k = counts.getOrDefault(c, new long[3]);
            double precision = k[0] + k[1] == 0 ? 0 : (double) k[0] / (k[0] + k[1]);
            double recall = k[0] + k[2] == 0 ? 0 : (double) k[0] / (k[0] + k[2]);
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("accuracy", n == 0 ? 0 : (double) correct / n);
        values.put("macroF1", seen.isEmpty() ? 0 : f1Sum / seen.size());
        return values;
    }
}
