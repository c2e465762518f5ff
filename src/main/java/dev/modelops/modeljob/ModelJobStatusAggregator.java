package dev.modelops.modeljob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Computes a ModelJob's next status from what the operator observes; the only writer of its phase, conditions and
 * timeline. Computing it again from the same observation gives an equal status, so an unchanged ModelJob is not
 * written.
 */
final class ModelJobStatusAggregator {

    static final String STARTED = "Started";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String CANCELLED = "Cancelled";

    /** Pods whose events are looked for; older ones were recorded when they were new. */
    private static final int RECENT_PODS = 3;
    private static final int LAST_LOG_LINES = 5;
    private static final int LAST_LOG_CHARS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The next status, the timeline entries it adds (each is recorded as an Event), and whether to write it. */
    record StatusUpdate(ModelJobStatus status, List<TimelineEntry> newEntries, boolean changed) {
    }

    /** Where the job stands: its phase, its Started condition and, once it ended, how. */
    private record Outcome(JobPhase phase, String startedReason, String reason, String message) {
    }

    StatusUpdate next(Observation seen) {
        ModelJob modelJob = seen.modelJob();
        ModelJobStatus old = Optional.ofNullable(modelJob.getStatus()).orElseGet(ModelJobStatus::new);
        ModelJobStatus next = JSON.convertValue(old, ModelJobStatus.class);
        Timeline timeline = new Timeline(old.getTimeline());
        if (old.getPhase() == null) {
            timeline.add(ModelJobReason.Created, modelJob.getSpec().getType() + " of ModelVersion "
                    + modelJob.getSpec().getModelVersion() + " requested", created(modelJob, seen.now()));
        }
        seen.job().ifPresent(job -> next.setJobName(job.getMetadata().getName()));
        if (old.getJobName() == null && next.getJobName() != null) {
            timeline.add(ModelJobReason.JobCreated, "Created Job " + next.getJobName(), seen.now());
        }
        recordPods(seen, timeline);
        next.setPodNames(podNames(old, seen.pods()));
        earliestStart(seen.pods()).ifPresent(start -> next.setStartTime(
                old.getStartTime() != null ? old.getStartTime() : Conditions.timestamp(start)));

        Outcome outcome = outcome(seen, old, next, timeline);
        next.setPhase(outcome.phase());
        next.setMessage(outcome.message());
        if (final_(outcome.phase())) {
            next.setCompletionTime(Conditions.timestamp(seen.now()));
            seen.logs().ifPresent(logs -> next.setLogs(logs.ref()));
        }
        setConditions(next, outcome, modelJob.getMetadata().getGeneration(), seen.now());
        next.setObservedGeneration(modelJob.getMetadata().getGeneration());
        next.setTimeline(timeline.entries());
        return new StatusUpdate(next, timeline.added(), worthWriting(old, next, timeline.added()));
    }

    /**
     * Whether the new status says something the old one does not: a change of phase, condition, result or logs, or
     * a warning. New Normal entries and wording alone wait for the next such change; they are seen again then,
     * because they are derived from the Job and pods, not remembered. This keeps a job's status writes to its steps.
     */
    private static boolean worthWriting(ModelJobStatus old, ModelJobStatus next, List<TimelineEntry> added) {
        return !facts(old).equals(facts(next))
                || added.stream().anyMatch(entry -> entry.getType() == dev.modelops.api.v1alpha1.EventType.Warning);
    }

    private static ObjectNode facts(ModelJobStatus status) {
        ObjectNode facts = JSON.valueToTree(status);
        facts.remove(List.of("timeline", "podNames", "message"));
        facts.withArray("conditions").forEach(condition -> ((ObjectNode) condition).remove("message"));
        return facts;
    }

    static boolean final_(JobPhase phase) {
        return phase == JobPhase.Succeeded || phase == JobPhase.Failed || phase == JobPhase.Cancelled;
    }

    /** Whether the ModelJob's status says it has ended. */
    static boolean ended(ModelJob modelJob) {
        return modelJob.getStatus() != null && final_(modelJob.getStatus().getPhase());
    }

    private Outcome outcome(Observation seen, ModelJobStatus old, ModelJobStatus next, Timeline timeline) {
        ModelJob modelJob = seen.modelJob();
        JobType type = modelJob.getSpec().getType();
        boolean started = next.getStartTime() != null;
        String startedReason = started ? STARTED : "NotStarted";
        if (seen.refusal().isPresent()) {
            Observation.Refusal refusal = seen.refusal().get();
            return failed(timeline, startedReason, refusal.reason(), refusal.message(), seen.now());
        }
        if (seen.jobFinished()) {
            return finished(seen, next, timeline, startedReason);
        }
        if (seen.stopRequested()) {
            String why = Optional.ofNullable(modelJob.getSpec().getReason()).filter(r -> !r.isBlank())
                    .map(r -> "Stopped: " + r).orElse("Stopped by spec.stop");
            timeline.add(ModelJobReason.StopRequested, why, seen.now());
            String kept = seen.logs().map(l -> "; the logs so far are in ConfigMap " + l.ref().getConfigMap())
                    .orElse("");
            timeline.add(ModelJobReason.Cancelled, why + (old.getPhase() == null ? "" : " while " + old.getPhase())
                    + kept, seen.now());
            return new Outcome(JobPhase.Cancelled, startedReason, "StopRequested", why);
        }
        if (seen.job().isEmpty() && seen.modelVersion().isEmpty()) {
            String message = "ModelVersion " + modelJob.getSpec().getModelVersion() + " does not exist in namespace "
                    + modelJob.getMetadata().getNamespace() + "; the job starts when it is created";
            timeline.add(ModelJobReason.ModelVersionNotFound, message, seen.now());
            return new Outcome(JobPhase.Pending, "ModelVersionNotFound", "ModelVersionNotFound", message);
        }
        if (type.kind() != JobType.Kind.COMPUTE) {
            return failed(timeline, startedReason, FailureReason.NotImplemented, type + " jobs change the ModelVersion,"
                    + " and the ModelVersion lifecycle is not implemented yet: this job changed nothing", seen.now());
        }
        if (seen.job().isEmpty() && old.getJobName() != null) {
            return failed(timeline, startedReason, FailureReason.JobLost, "Job " + old.getJobName()
                    + " was deleted before it finished; create a new ModelJob to run the step again", seen.now());
        }
        return running(seen, old, next, started);
    }

    private Outcome running(Observation seen, ModelJobStatus old, ModelJobStatus next, boolean started) {
        JobPhase phase = started || old.getPhase() == JobPhase.Running ? JobPhase.Running : JobPhase.Pending;
        Optional<Pod> newest = newest(seen.pods());
        if (newest.isEmpty()) {
            return new Outcome(phase, started ? STARTED : "PodPending",
                    phase.name(), "Job " + next.getJobName() + " created; waiting for its pod");
        }
        Pod pod = newest.get();
        Optional<ContainerStateTerminated> ended = Pods.terminated(pod);
        if (ended.isPresent() && Pods.failed(pod)) {
            return new Outcome(phase, started ? STARTED : "PodFailed", phase.name(),
                    "Pod " + Pods.name(pod) + " failed with " + Pods.ending(ended.get()) + "; the Job retries");
        }
        var stuck = Pods.stuck(pod);
        if (stuck.isPresent() && !started) {
            return new Outcome(phase, stuck.get().getReason(), phase.name(),
                    "Pod " + Pods.name(pod) + " is waiting: " + stuck.get().getReason() + ": " + stuck.get().getMessage());
        }
        if (Pods.startedAt(pod).isPresent()) {
            return new Outcome(phase, STARTED, phase.name(), "Pod " + Pods.name(pod) + " is running");
        }
        return new Outcome(phase, started ? STARTED : "PodPending", phase.name(),
                "Job " + next.getJobName() + " created; waiting for pod " + Pods.name(pod) + " to start");
    }

    private Outcome finished(Observation seen, ModelJobStatus next, Timeline timeline, String startedReason) {
        Job job = seen.job().orElseThrow();
        Optional<Pod> newest = newest(seen.pods());
        if (BatchJobs.succeeded(job)) {
            Optional<String> report = newest.flatMap(Pods::terminated).map(ContainerStateTerminated::getMessage);
            TerminationMessage.Parsed parsed = TerminationMessage.parse(report.orElse(null));
            if (parsed.problem().isPresent()) {
                return failed(timeline, startedReason, FailureReason.InvalidResult, parsed.problem().get(), seen.now());
            }
            parsed.result().ifPresent(next::setResult);
            String message = "Job " + job.getMetadata().getName() + " succeeded"
                    + parsed.result().map(ModelJobStatusAggregator::summary).orElse("");
            timeline.add(ModelJobReason.Succeeded, message, seen.now());
            return new Outcome(JobPhase.Succeeded, startedReason, "Succeeded", message);
        }
        var failure = BatchJobs.failure(job).orElseThrow();
        FailureReason reason = "DeadlineExceeded".equals(failure.getReason()) ? FailureReason.DeadlineExceeded
                : FailureReason.BackoffLimitExceeded;
        StringBuilder message = new StringBuilder(Objects.requireNonNullElse(failure.getMessage(), failure.getReason()));
        if (newest.isPresent()) {
            Pod pod = newest.get();
            Optional<ContainerStateTerminated> ended = Pods.terminated(pod);
            if (ended.isPresent() && "OOMKilled".equals(ended.get().getReason())) {
                reason = FailureReason.OOMKilled;
            }
            ended.ifPresent(t -> message.append("; pod ").append(Pods.name(pod)).append(" ended with ")
                    .append(Pods.ending(t)));
            Pods.stuck(pod).ifPresent(w -> message.append("; pod ").append(Pods.name(pod)).append(" was waiting: ")
                    .append(w.getReason()).append(": ").append(w.getMessage()));
            seen.logs().map(logs -> logs.byPod().get(Pods.name(pod))).map(ModelJobStatusAggregator::lastLines)
                    .filter(lines -> !lines.isEmpty())
                    .ifPresent(lines -> message.append(". Last log lines:\n").append(lines));
        }
        return failed(timeline, startedReason, reason, message.toString(), seen.now());
    }

    private static Outcome failed(Timeline timeline, String startedReason, FailureReason reason, String message,
            Instant now) {
        timeline.add(ModelJobReason.Failed, reason + ": " + message, now);
        return new Outcome(JobPhase.Failed, startedReason, reason.name(), message);
    }

    /** What happened to the recent pods: scheduled, stuck, started, failed; each recorded once. */
    private static void recordPods(Observation seen, Timeline timeline) {
        List<Pod> pods = Pods.oldestFirst(seen.pods());
        List<Pod> recent = pods.subList(Math.max(0, pods.size() - RECENT_PODS), pods.size());
        for (Pod pod : recent) {
            String name = Pods.name(pod);
            Pods.scheduledAt(pod).ifPresent(at -> timeline.add(ModelJobReason.PodScheduled,
                    "Pod " + name + " scheduled on " + Pods.node(pod), at));
            Pods.stuck(pod).ifPresent(w -> timeline.add(ModelJobReason.PodWaiting,
                    "Pod " + name + " is waiting: " + w.getReason() + ": " + w.getMessage(), seen.now()));
            Pods.startedAt(pod).ifPresent(at -> timeline.add(ModelJobReason.Started, "Pod " + name + " started", at));
            boolean retried = pod != recent.get(recent.size() - 1) || !seen.jobFinished();
            Pods.terminated(pod).filter(t -> Pods.failed(pod) && retried).ifPresent(t -> timeline.add(
                    ModelJobReason.PodFailed, "Pod " + name + " failed with " + Pods.ending(t), seen.now()));
        }
    }

    private static void setConditions(ModelJobStatus next, Outcome outcome, Long generation, Instant now) {
        JobPhase phase = outcome.phase();
        var conditions = next.getConditions();
        conditions = Conditions.set(conditions, STARTED,
                STARTED.equals(outcome.startedReason()) ? ConditionStatus.True : ConditionStatus.False,
                outcome.startedReason(), final_(phase) ? null : outcome.message(), generation, now);
        conditions = set(conditions, COMPLETE, phase == JobPhase.Succeeded, outcome, generation, now);
        conditions = set(conditions, FAILED, phase == JobPhase.Failed, outcome, generation, now);
        conditions = set(conditions, CANCELLED, phase == JobPhase.Cancelled, outcome, generation, now);
        next.setConditions(conditions);
    }

    private static List<dev.modelops.api.v1alpha1.Condition> set(List<dev.modelops.api.v1alpha1.Condition> conditions,
            String type, boolean holds, Outcome outcome, Long generation, Instant now) {
        return holds ? Conditions.set(conditions, type, ConditionStatus.True, outcome.reason(), outcome.message(),
                generation, now)
                : Conditions.set(conditions, type, ConditionStatus.False, outcome.phase().name(), null, generation, now);
    }

    private static List<String> podNames(ModelJobStatus old, List<Pod> pods) {
        Set<String> names = new LinkedHashSet<>(old.getPodNames() == null ? List.of() : old.getPodNames());
        Pods.oldestFirst(pods).forEach(pod -> names.add(Pods.name(pod)));
        return names.isEmpty() ? null : new ArrayList<>(names);
    }

    private static Optional<Instant> earliestStart(List<Pod> pods) {
        return pods.stream().map(Pods::startedAt).flatMap(Optional::stream).min(Instant::compareTo);
    }

    private static Optional<Pod> newest(List<Pod> pods) {
        List<Pod> sorted = Pods.oldestFirst(pods);
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get(sorted.size() - 1));
    }

    private static Instant created(ModelJob modelJob, Instant now) {
        String created = modelJob.getMetadata().getCreationTimestamp();
        return created == null ? now : Instant.parse(created);
    }

    private static String summary(JobResult result) {
        List<String> parts = new ArrayList<>();
        if (result.getMetrics() != null && !result.getMetrics().isEmpty()) {
            parts.add("metrics " + result.getMetrics());
        }
        if (result.getArtifactUri() != null) {
            parts.add("artifact " + result.getArtifactUri());
        }
        if (result.getOutputUri() != null) {
            parts.add("output " + result.getOutputUri());
        }
        return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
    }

    static String lastLines(String log) {
        String[] lines = log.stripTrailing().split("\n");
        String last = String.join("\n", List.of(lines).subList(Math.max(0, lines.length - LAST_LOG_LINES), lines.length));
        return last.length() > LAST_LOG_CHARS ? last.substring(last.length() - LAST_LOG_CHARS) : last;
    }
}
