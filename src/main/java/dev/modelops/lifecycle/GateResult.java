package dev.modelops.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verdict of one gate, with the values it read: {@code metrics.auc}, {@code champion.metrics.auc},
 * {@code statistics.rows} ... mapped to the value the evaluation saw, in the order the gate reads them.
 */
public record GateResult(String gate, boolean verdict, Map<String, Object> values) {

    public GateResult {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
