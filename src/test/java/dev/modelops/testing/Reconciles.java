package dev.modelops.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** How many reconciles the operator has started, from JOSDK's own metric. */
public final class Reconciles {

    private Reconciles() {
    }

    public static double started(MeterRegistry registry) {
        return registry.getMeters().stream().filter(Counter.class::isInstance)
                .filter(meter -> meter.getId().getName().endsWith("reconciliations.started"))
                .mapToDouble(meter -> ((Counter) meter).count()).sum();
    }
}
