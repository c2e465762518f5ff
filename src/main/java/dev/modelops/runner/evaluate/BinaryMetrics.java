package dev.modelops.runner.evaluate;

import dev.modelops.runner.model.Prediction;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification: AUC (Tribuo's ROC), and at the threshold 0.5 on the positive class's probability accuracy,
 * precision, recall and F1; log loss with probabilities clipped to [1e-15, 1 - 1e-15]. The scores are kept (a
 * boolean and a double a row) for the ROC.
 */
final class BinaryMetrics implements Metrics {

    private static final double EPS = 1e-15;

    private final String positive;
    private final int positiveIndex;
    private boolean[] truths = new boolean[1024];
    private double[] scores = new double[1024];
    private int n;
    private long tp;
    private long fp;
    private long fn;
    private long tn;
    private double logLoss;

    BinaryMetrics(String positive, int positiveIndex) {
        this.positive = positive;
        this.positiveIndex = positiveIndex;
    }

    @Override
    public void add(Object truth, Prediction prediction) {
        boolean actual = positive.equals(Metrics.className(truth));
        double p = prediction.probabilities().length > 0 ? prediction.probabilities()[positiveIndex]
                : prediction.value();
        if (n == truths.length) {
            truths = Arrays.copyOf(truths, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        truths[n] = actual;
        scores[n] = p;
        n++;
        boolean predicted = p >= 0.5;
        if (predicted && actual) {
            tp++;
        } else if (predicted) {
            fp++;
        } else if (actual) {
            fn++;
        } else {
            tn++;
        }
        double clipped = Math.min(1 - EPS, Math.max(EPS, p));
        logLoss -= actual ? Math.log(clipped) : Math.log(1 - clipped);
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        long positives = tp + fn;
        if (positives > 0 && positives < n) {
            values.put("auc", LabelEvaluationUtil.binaryAUCROC(Arrays.copyOf(truths, n), Arrays.copyOf(scores, n)));
        }
        values.put("accuracy", n == 0 ? 0 : (double) (tp + tn) / n);
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = positives == 0 ? 0 : (double) tp / positives;
        values.put("precision", precision);
        values.put("recall", recall);
        values.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        values.put("logLoss", n == 0 ? 0 : logLoss / n);
        values.put("positiveRate", n == 0 ? 0 : (double) positives / n);
        return values;
    }
}
