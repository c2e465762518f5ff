package dev.modelops.batchprediction;

import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionStatus;
import dev.modelops.api.v1alpha1.MissedRuns;
import dev.modelops.common.Conditions;
import dev.modelops.common.EventRecorder;
import dev.modelops.lifecycle.Schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The scheduled times at which no run started, each counted once and reported. */
final class MissedSchedules {

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);
    private static final int CHECK_LIMIT = 1000;

    private MissedSchedules() {
    }

    /**
     * Scheduled times since the last check at which no run started, counted once each: the operator or the cluster
     * was down, Forbid held the run back, or its starting deadline passed.
     */
    static void check(EventRecorder events, BatchPrediction prediction, Schedule schedule,
            Set<String> runNames, BatchPredictionStatus status, Instant now) {
        MissedRuns missed = Optional.ofNullable(status.getMissedRuns()).orElseGet(MissedRuns::new);
        Instant from = Optional.ofNullable(missed.getCheckedUntil()).map(Rfc3339::instant)
                .orElse(Rfc3339.instant(prediction.getMetadata().getCreationTimestamp()));
        Instant until = now.minus(grace(prediction));
        if (!until.isAfter(from)) {
            return;
        }
        List<Instant> due = schedule.between(from, until, CHECK_LIMIT);
        List<Instant> notRun = due.stream()
                .filter(at -> !runNames.contains(Schedule.jobName(CronJobs.name(prediction), at))).toList();
        if (due.isEmpty()) {
            return;
        }
        missed.setCheckedUntil(Conditions.timestamp(due.get(due.size() - 1)));
        if (!notRun.isEmpty()) {
            missed.setCount(Optional.ofNullable(missed.getCount()).orElse(0L) + notRun.size());
            missed.setLastMissedTime(Conditions.timestamp(notRun.get(notRun.size() - 1)));
            events.record(prediction, PredictionReason.MissedRuns, "No run started at the scheduled "
                    + (notRun.size() == 1 ? "time " : notRun.size() + " times, the last ")
                    + notRun.stream().skip(Math.max(0, notRun.size() - 5)).map(Conditions::timestamp)
                            .collect(Collectors.joining(", ")), now);
        }
        status.setMissedRuns(missed);
    }

    /** How long after a scheduled time its run may still start. */
    static Duration grace(BatchPrediction prediction) {
        return Optional.ofNullable(prediction.getSpec().getStartingDeadlineSeconds()).map(Duration::ofSeconds)
                .map(d -> d.plusSeconds(10)).orElse(DEFAULT_GRACE);
    }
}
