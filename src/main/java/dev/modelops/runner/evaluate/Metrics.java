package dev.modelops.runner.evaluate;

import dev.modelops.runner.model.Prediction;

import java.util.Map;

/** Metrics of a task, accumulated one labelled prediction at a time. */
interface Metrics {

    void add(Object truth, Prediction prediction);

    Map<String, Double> values();

    /** A label cell as a class name: whole numbers without a decimal point, booleans as true/false. */
    static String className(Object cell) {
        if (cell instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        if (cell instanceof Float f && f == Math.rint(f) && !f.isInfinite()) {
            return Long.toString(f.longValue());
        }
        if (cell instanceof java.math.BigDecimal b && b.stripTrailingZeros().scale() <= 0) {
            return b.toBigInteger().toString();
        }
        return cell.toString();
    }
}
