package dev.modelops.runner.evaluate;

import dev.modelops.runner.RunFailure;
import dev.modelops.runner.model.Prediction;

import java.util.LinkedHashMap;
import java.util.Map;

/** Regression: RMSE, MAE and R², from running sums (the label's variance by Welford's method). */
final class RegressionMetrics implements Metrics {

    private long n;
    private double squared;
    private double absolute;
    private double mean;
    private double m2;

    @Override
    public void add(Object truth, Prediction prediction) {
        if (!(truth instanceof Number number)) {
            throw new RunFailure("a regression's label must be numeric, found " + truth);
        }
        double y = number.doubleValue();
        double error = prediction.value() - y;
        n++;
        squared += error * error;
        absolute += Math.abs(error);
        double delta = y - mean;
        mean += delta / n;
        m2 += delta * (y - mean);
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rmse", n == 0 ? 0 : Math.sqrt(squared / n));
        values.put("mae", n == 0 ? 0 : absolute / n);
        if (m2 > 0) {
            values.put("r2", 1 - squared / m2);
        }
        return values;
    }
}
