package dev.modelops.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconciliation metrics per controller, not per resource: per-resource meters are only dropped when the
 * resource is deleted, so 10,000 finished ModelJobs would keep 60,000 meters and their histograms in the heap and
 * give Prometheus a series per ModelJob. Beside them, the gauges of {@link ResourceMetrics}.
 */
public class OperatorMetrics {

    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return new ResourceMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry), registry);
    }
}
