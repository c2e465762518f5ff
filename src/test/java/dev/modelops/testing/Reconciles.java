package dev.modelops.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** How many reconciles the operator has started, from JOSDK's own metric. */
public final class Reconciles {

    private Reconciles() {
    }

    /** The reconciles started of the controller of this kind of resource, such as {@code ModelJob}. */
    public static double started(MeterRegistry registry, String kind) {
        return registry.getMeters().stream().filter(Counter.class::isInstance)
                .filter(meter -> meter.getId().getName().endsWith("reconciliations.started"))
                .filter(meter -> meter.getId().getTags().stream()
                        .anyMatch(tag -> tag.getKey().endsWith("kind") && tag.getValue().equals(kind)))
                .mapToDouble(meter -> ((Counter) meter).count()).sum();
    }

    public static double started(MeterRegistry registry) {
        return registry.getMeters().stream().filter(Counter.class::isInstance)
                .filter(meter -> meter.getId().getName().endsWith("reconciliations.started"))
                .mapToDouble(meter -> ((Counter) meter).count()).sum();
    }
}
