package dev.modelops.metrics;

import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.ModelJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long ModelJobs took, by type and how they ended: from their start (or their creation, for one that never
 * started) to their completion, recorded once, when a job ends. Into the registry the application gives
 * ({@link ResourceMetrics} does, when it is made); the ModelJob controller is also built by hand, outside the
 * application, and then records nothing.
 */
public final class JobDurations {

    private static volatile MeterRegistry registry = new CompositeMeterRegistry();

    private JobDurations() {
    }

    static void recordInto(MeterRegistry applicationRegistry) {
        registry = applicationRegistry;
    }

    public static void ended(ModelJob job) {
        var status = job.getStatus();
        Optional<Instant> from = Optional.ofNullable(status.getStartTime())
                .or(() -> Optional.ofNullable(job.getMetadata().getCreationTimestamp())).map(Rfc3339::instant);
        Optional<Instant> to = Optional.ofNullable(status.getCompletionTime()).map(Rfc3339::instant);
        if (from.isEmpty() || to.isEmpty() || to.get().isBefore(from.get())) {
            return;
        }
        Timer.builder("modelops.modeljob.duration").description("Time from a ModelJob's start to its end")
                .tag("type", job.getSpec().getType().name()).tag("phase", status.getPhase().name())
                .publishPercentileHistogram().register(registry)
                .record(Duration.between(from.get(), to.get()));
    }
}
