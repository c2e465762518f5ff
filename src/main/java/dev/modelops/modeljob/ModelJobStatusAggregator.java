package dev.modelops.modeljob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.api.Rfc3339;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.api.v1alpha1.ImportSource;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.common.Conditions;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.lifecycle.Requests;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
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

    /** Pods whose events are looked for; older ones were recorded when they were new. */
    private static final int RECENT_PODS = 3;
    private static final int LAST_LOG_LINES = 5;
    private static final int LAST_LOG_CHARS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The next status, the timeline entries it adds (each is recorded as an Event), and whether to write it. */
    record StatusUpdate(ModelJobStatus status, List<Timeline.Added> newEntries, boolean changed) {
    }

    /** Where the job stands: its phase, its Started condition and, once it ended, how. */
    private record Outcome(JobPhase phase, StartReason startedReason, Enum<?> reason, String message) {
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
        next.setJobName(jobName(seen, old));
        seen.children().job().ifPresent(job -> timeline.add(ModelJobReason.JobCreated,
                "Created Job " + job.getMetadata().getName(), BatchJobs.createdAt(job)));
        recordPods(seen, timeline);
        next.setPodNames(podNames(old, seen.children().pods()));
        earliestStart(seen.children().pods()).ifPresent(start -> next.setStartTime(
                old.getStartTime() != null ? old.getStartTime() : Conditions.timestamp(start)));

        Outcome outcome = outcome(seen, old, next, timeline);
        next.setPhase(outcome.phase());
        next.setMessage(outcome.message());
        seen.logs().flatMap(KeptLogs::problem).ifPresent(problem -> timeline.add(ModelJobReason.LogsNotKept,
                problem, seen.now()));
        if (JobLifecycle.ended(outcome.phase())) {
            next.setCompletionTime(Conditions.timestamp(seen.now()));
            seen.logs().flatMap(KeptLogs::ref).ifPresent(next::setLogs);
        }
        setConditions(next, outcome, modelJob.getMetadata().getGeneration(), seen.now());
        next.setObservedGeneration(modelJob.getMetadata().getGeneration());
        next.setTimeline(timeline.entries());
        return new StatusUpdate(next, timeline.added(), worthWriting(old, next, timeline.added()));
    }

    /** The Job the status names: the one about to be created or seen; none when it is known not to exist. */
    private static String jobName(Observation seen, ModelJobStatus old) {
        if (seen.launch() instanceof Launch.Intended) {
            return seen.modelJob().getMetadata().getName();
        }
        if (seen.launch() instanceof Launch.Refused || seen.launch() instanceof Launch.Held) {
            return null;
        }
        return seen.children().job().map(job -> job.getMetadata().getName()).orElse(old.getJobName());
    }

    /**
     * Whether the new status says something the old one does not: a change of phase, condition, result, logs or
     * generation, or a warning. New Normal entries and wording alone wait for the next such change; they are seen
     * again then, because they are derived from the Job and pods, not remembered. This keeps a job's status writes
     * to its steps.
     */
    private static boolean worthWriting(ModelJobStatus old, ModelJobStatus next, List<Timeline.Added> added) {
        return !facts(old).equals(facts(next))
                || added.stream().anyMatch(entry -> entry.reason().type() == EventType.Warning);
    }

    private static ObjectNode facts(ModelJobStatus status) {
        ObjectNode facts = JSON.valueToTree(status);
        facts.remove(List.of("timeline", "podNames", "message"));
        facts.withArray("conditions").forEach(condition -> ((ObjectNode) condition).remove("message"));
        return facts;
    }

    private Outcome outcome(Observation seen, ModelJobStatus old, ModelJobStatus next, Timeline timeline) {
        ModelJob modelJob = seen.modelJob();
        boolean started = next.getStartTime() != null;
        StartReason startedReason = started ? StartReason.Started : StartReason.NotStarted;
        if (seen.launch() instanceof Launch.Refused refused) {
            return failed(timeline, startedReason, refused.reason(), refused.message(), seen.now());
        }
        if (seen.jobFinished()) {
            return finished(seen, next, timeline, startedReason);
        }
        if (seen.stopRequested()) {
            String why = Optional.ofNullable(modelJob.getSpec().getReason()).filter(r -> !r.isBlank())
                    .map(r -> "Stopped: " + r).orElse("Stopped by spec.stop");
            timeline.add(ModelJobReason.StopRequested, why, seen.now());
            String kept = seen.logs().flatMap(KeptLogs::ref)
                    .map(l -> "; the logs so far are in ConfigMap " + l.getConfigMap()).orElse("");
            timeline.add(ModelJobReason.Cancelled, why + (old.getPhase() == null ? "" : " while " + old.getPhase())
                    + kept, seen.now());
            return new Outcome(JobPhase.Cancelled, startedReason, ModelJobReason.StopRequested, why);
        }
        if (seen.launch() instanceof Launch.Held held) {
            timeline.add(held.event(), held.message(), seen.now());
            return new Outcome(JobPhase.Pending, held.reason(), JobPhase.Pending, held.message());
        }
        Optional<Job> job = seen.children().job();
        if (seen.modelVersion().isEmpty() && !JobLifecycle.compute(modelJob) && old.getPhase() == JobPhase.Running) {
            return failed(timeline, StartReason.Started, FailureReason.ModelVersionDeleted, "ModelVersion "
                    + modelJob.getSpec().getModelVersion() + " was deleted before it recorded this "
                    + modelJob.getSpec().getType() + "; nothing was decided", seen.now());
        }
        if (job.isEmpty() && seen.modelVersion().isEmpty()) {
            String message = "ModelVersion " + modelJob.getSpec().getModelVersion() + " does not exist in namespace "
                    + modelJob.getMetadata().getNamespace() + "; the job starts when it is created";
            timeline.add(ModelJobReason.ModelVersionNotFound, message, seen.now());
            return new Outcome(JobPhase.Pending, StartReason.ModelVersionNotFound, JobPhase.Pending, message);
        }
        if (!JobLifecycle.compute(modelJob)) {
            return request(seen, old, next, timeline);
        }
        if (seen.launch() instanceof Launch.Intended intended) {
            intended.notRestricted().ifPresent(why -> timeline.add(ModelJobReason.PodSecurityRelaxed, why, seen.now()));
            return new Outcome(JobPhase.Pending, StartReason.PodPending, JobPhase.Pending,
                    "Creating Job " + next.getJobName());
        }
        if (job.isEmpty() && old.getJobName() != null) {
            boolean disowned = seen.children().foreignJob().map(foreign -> foreign.getMetadata().getName())
                    .filter(old.getJobName()::equals).isPresent();
            return failed(timeline, startedReason, FailureReason.JobLost, "Job " + old.getJobName() + (disowned
                    ? " no longer names this ModelJob as its controller (its owner reference was changed): it is"
                    + " not this job's any more and is left as it is."
                    : " is gone before it finished: it was deleted.")
                    + " The step may have run; it is never run twice: create a new ModelJob to run it again",
                    seen.now());
        }
        if (job.isEmpty()) {
            return new Outcome(JobPhase.Pending, StartReason.PodPending, JobPhase.Pending, "Waiting to create its Job");
        }
        return running(seen, old, next, timeline, job.get(), started);
    }

    private Outcome running(Observation seen, ModelJobStatus old, ModelJobStatus next, Timeline timeline, Job job,
            boolean started) {
        JobPhase phase = started || old.getPhase() == JobPhase.Running ? JobPhase.Running : JobPhase.Pending;
        if (BatchJobs.suspended(job) && !seen.stopRequested()) {
            String message = "Job " + next.getJobName() + " was suspended by someone else (its spec.suspend), not by"
                    + " spec.stop: Kubernetes stopped its pods and it waits. Resume it (kubectl patch job "
                    + next.getJobName() + " --type merge -p '{\"spec\":{\"suspend\":false}}') or stop this ModelJob";
            timeline.add(ModelJobReason.JobSuspended, message, seen.now());
            return new Outcome(phase, started ? StartReason.Started : StartReason.JobSuspended, phase, message);
        }
        Optional<Pod> newest = Pods.newest(seen.children().pods());
        if (newest.isEmpty()) {
            if (podCreationStalled(job, seen.children(), seen.now(), seen.podCreationTimeout())) {
                String message = "Job " + next.getJobName() + " has created no pod in "
                        + seen.podCreationTimeout().toSeconds() + "s: " + seen.podCreationProblem()
                        .orElse("admission refuses them (Pod Security, a quota, a missing service account);"
                                + " kubectl describe job " + next.getJobName() + " shows why");
                timeline.add(ModelJobReason.PodNotCreated, message, seen.now());
                return new Outcome(phase, started ? StartReason.Started : StartReason.PodNotCreated, phase, message);
            }
            return new Outcome(phase, started ? StartReason.Started : StartReason.PodPending,
                    phase, "Job " + next.getJobName() + " created; waiting for its pod");
        }
        Pod pod = newest.get();
        Optional<ContainerStateTerminated> ended = Pods.terminated(pod);
        if (ended.isPresent() && Pods.failed(pod)) {
            return new Outcome(phase, started ? StartReason.Started : StartReason.NotStarted, phase,
                    "Pod " + Pods.name(pod) + " failed with " + Pods.ending(ended.get()) + "; the Job retries");
        }
        var stuck = Pods.stuck(pod);
        if (stuck.isPresent() && !started) {
            return new Outcome(phase, stuck.get().reason(), phase,
                    "Pod " + Pods.name(pod) + " is waiting: " + stuck.get().reason() + ": " + stuck.get().message());
        }
        var unschedulable = Pods.unschedulable(pod);
        if (unschedulable.isPresent() && !started) {
            String message = "Pod " + Pods.name(pod) + " cannot be scheduled: " + unschedulable.get().getMessage();
            timeline.add(ModelJobReason.PodUnschedulable, message, seen.now());
            return new Outcome(phase, StartReason.Unschedulable, phase, message);
        }
        if (Pods.startedAt(pod).isPresent()) {
            return new Outcome(phase, StartReason.Started, phase, "Pod " + Pods.name(pod) + " is running");
        }
        return new Outcome(phase, started ? StartReason.Started : StartReason.PodPending, phase,
                "Job " + next.getJobName() + " created; waiting for pod " + Pods.name(pod) + " to start");
    }

    /**
     * A request to the version (Approve, Reject, Deploy, Retire): refused when it is out of order for the version's
     * stage; otherwise accepted (Running) until the version records it, then ended by what the version recorded.
     */
    private static Outcome request(Observation seen, ModelJobStatus old, ModelJobStatus next, Timeline timeline) {
        ModelJob modelJob = seen.modelJob();
        ModelVersion version = seen.modelVersion().orElseThrow();
        JobType type = modelJob.getSpec().getType();
        if (old.getPhase() != JobPhase.Running) {
            Optional<String> refusal = Requests.refusal(modelJob.getMetadata().getName(), type, version);
            if (refusal.isPresent()) {
                return failed(timeline, StartReason.NotStarted, FailureReason.OutOfOrder, refusal.get()
                        + "; nothing changed", seen.now());
            }
            next.setStartTime(Conditions.timestamp(seen.now()));
            String message = "Accepted: ModelVersion " + version.getMetadata().getName() + " is "
                    + Optional.ofNullable(version.getStatus()).map(ModelVersionStatus::getStage).orElse(null)
                    + "; waiting for it to record the " + type;
            timeline.add(ModelJobReason.Accepted, message, seen.now());
            return new Outcome(JobPhase.Running, StartReason.Started, JobPhase.Running, message);
        }
        Requests.Verdict verdict = Requests.verdict(modelJob.getMetadata().getName(), type, version);
        if (verdict instanceof Requests.Verdict.Done done) {
            timeline.add(ModelJobReason.Succeeded, done.message(), seen.now());
            return new Outcome(JobPhase.Succeeded, StartReason.Started, ModelJobReason.Succeeded, done.message());
        }
        if (verdict instanceof Requests.Verdict.Superseded superseded) {
            return failed(timeline, StartReason.Started, FailureReason.Superseded, superseded.message(), seen.now());
        }
        if (verdict instanceof Requests.Verdict.Failed failed) {
            return failed(timeline, StartReason.Started, FailureReason.DeployFailed, failed.message(), seen.now());
        }
        return new Outcome(JobPhase.Running, StartReason.Started, JobPhase.Running,
                ((Requests.Verdict.Waiting) verdict).message());
    }

    /** A Job that has had no pod for longer than the operator waits: something refuses its pods. */
    static boolean podCreationStalled(Job job, Children children, Instant now, Duration timeout) {
        return children.pods().isEmpty() && BatchJobs.activePods(job) == 0 && !BatchJobs.suspended(job)
                && !BatchJobs.finishing(job) && !now.isBefore(BatchJobs.createdAt(job).plus(timeout));
    }

    private Outcome finished(Observation seen, ModelJobStatus next, Timeline timeline, StartReason startedReason) {
        Job job = seen.children().job().orElseThrow();
        boolean succeeded = BatchJobs.succeeded(job);
        Optional<Pod> decisive = Pods.decisive(seen.children().pods(), succeeded);
        if (succeeded) {
            Optional<String> report = decisive.flatMap(Pods::terminated).map(ContainerStateTerminated::getMessage);
            TerminationMessage.Parsed parsed = TerminationMessage.parse(report.orElse(null));
            if (parsed.problem().isPresent()) {
                return failed(timeline, startedReason, FailureReason.InvalidResult, parsed.problem().get(), seen.now());
            }
            Optional<String> mismatch = parsed.result().flatMap(result -> digestMismatch(seen, result));
            if (mismatch.isPresent()) {
                return failed(timeline, startedReason, FailureReason.DigestMismatch, mismatch.get(), seen.now());
            }
            parsed.result().ifPresent(next::setResult);
            String message = "Job " + job.getMetadata().getName() + " succeeded"
                    + parsed.result().map(ModelJobStatusAggregator::summary).orElse("");
            timeline.add(ModelJobReason.Succeeded, message, seen.now());
            return new Outcome(JobPhase.Succeeded, startedReason, ModelJobReason.Succeeded, message);
        }
        var failure = BatchJobs.failure(job).orElseThrow();
        FailureReason reason = "DeadlineExceeded".equals(failure.getReason()) ? FailureReason.DeadlineExceeded
                : FailureReason.BackoffLimitExceeded;
        StringBuilder message = new StringBuilder(Objects.requireNonNullElse(failure.getMessage(), failure.getReason()));
        if (decisive.isPresent()) {
            Pod pod = decisive.get();
            Optional<ContainerStateTerminated> ended = Pods.terminated(pod);
            if (reason == FailureReason.BackoffLimitExceeded && ended.isPresent()
                    && "OOMKilled".equals(ended.get().getReason())) {
                reason = FailureReason.OOMKilled;
            }
            ended.ifPresent(t -> message.append("; pod ").append(Pods.name(pod)).append(" ended with ")
                    .append(Pods.ending(t)));
            Pods.stuck(pod).ifPresent(w -> message.append("; pod ").append(Pods.name(pod)).append(" was waiting: ")
                    .append(w.reason()).append(": ").append(w.message()));
            seen.logs().map(logs -> logs.byPod().get(Pods.name(pod))).map(ModelJobStatusAggregator::lastLines)
                    .filter(lines -> !lines.isEmpty())
                    .ifPresent(lines -> message.append(". Last log lines:\n").append(lines));
        }
        return failed(timeline, startedReason, reason, message.toString(), seen.now());
    }

    /** An Import is checked against the digest the version expects: the artifact it stored must be that model. */
    private static Optional<String> digestMismatch(Observation seen, JobResult result) {
        if (seen.modelJob().getSpec().getType() != JobType.Import) {
            return Optional.empty();
        }
        Optional<String> expected = seen.modelVersion().map(v -> v.getSpec().getSource())
                .map(source -> source.getImport()).map(ImportSource::getSha256);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        String reported = result.getArtifactDigest();
        if (reported == null) {
            return Optional.of("the Import reported no artifactDigest; ModelVersion "
                    + seen.modelVersion().get().getMetadata().getName() + " expects spec.source.import.sha256 "
                    + expected.get());
        }
        return reported.equalsIgnoreCase(expected.get()) ? Optional.empty()
                : Optional.of("the imported artifact's digest " + reported + " differs from spec.source.import.sha256 "
                        + expected.get() + " of ModelVersion " + seen.modelVersion().get().getMetadata().getName());
    }

    private static Outcome failed(Timeline timeline, StartReason startedReason, FailureReason reason, String message,
            Instant now) {
        timeline.add(ModelJobReason.Failed, reason + ": " + message, now);
        return new Outcome(JobPhase.Failed, startedReason, reason, message);
    }

    /** What happened to the recent pods: scheduled, stuck, started, failed; each recorded once. */
    private static void recordPods(Observation seen, Timeline timeline) {
        List<Pod> pods = Pods.oldestFirst(seen.children().pods());
        List<Pod> recent = pods.subList(Math.max(0, pods.size() - RECENT_PODS), pods.size());
        Optional<Pod> decisive = seen.jobFinished()
                ? Pods.decisive(pods, BatchJobs.succeeded(seen.children().job().orElseThrow())) : Optional.empty();
        // A stop ends the newest pod (SIGTERM, exit 143): its end is told as StopRequested and Cancelled, not as a
        // failure, even when the operator first sees it after the pod has ended.
        Optional<Pod> stopped = seen.stopRequested() && !seen.jobFinished() && !pods.isEmpty()
                ? Optional.of(pods.get(pods.size() - 1)) : Optional.empty();
        for (Pod pod : recent) {
            String name = Pods.name(pod);
            Pods.scheduledAt(pod).ifPresent(at -> timeline.add(ModelJobReason.PodScheduled,
                    "Pod " + name + " scheduled on " + Pods.node(pod), at));
            Pods.stuck(pod).ifPresent(w -> timeline.add(ModelJobReason.PodWaiting,
                    "Pod " + name + " is waiting: " + w.reason() + ": " + w.message(), seen.now()));
            Pods.startedAt(pod).ifPresent(at -> timeline.add(ModelJobReason.Started, "Pod " + name + " started", at));
            boolean retried = decisive.map(d -> d != pod).orElse(true);
            boolean failedByItself = stopped.map(p -> p != pod).orElse(true);
            Pods.terminated(pod).filter(t -> Pods.failed(pod) && retried && failedByItself).ifPresent(t -> timeline.add(
                    ModelJobReason.PodFailed, "Pod " + name + " failed with " + Pods.ending(t),
                    Optional.ofNullable(t.getFinishedAt()).map(Rfc3339::instant).orElse(seen.now())));
        }
    }

    private static void setConditions(ModelJobStatus next, Outcome outcome, Long generation, Instant now) {
        JobPhase phase = outcome.phase();
        boolean ended = JobLifecycle.ended(phase);
        List<Condition> conditions = Conditions.set(next.getConditions(), ModelJobCondition.Started,
                outcome.startedReason() == StartReason.Started ? ConditionStatus.True : ConditionStatus.False,
                outcome.startedReason(), ended ? null : outcome.message(), generation, now);
        conditions = set(conditions, ModelJobCondition.Complete, phase == JobPhase.Succeeded, outcome, generation, now);
        conditions = set(conditions, ModelJobCondition.Failed, phase == JobPhase.Failed, outcome, generation, now);
        conditions = set(conditions, ModelJobCondition.Cancelled, phase == JobPhase.Cancelled, outcome, generation, now);
        next.setConditions(conditions);
    }

    private static List<Condition> set(List<Condition> conditions, ModelJobCondition type, boolean holds,
            Outcome outcome, Long generation, Instant now) {
        return holds ? Conditions.set(conditions, type, ConditionStatus.True, outcome.reason(), outcome.message(),
                generation, now)
                : Conditions.set(conditions, type, ConditionStatus.False, outcome.phase(), null, generation, now);
    }

    private static List<String> podNames(ModelJobStatus old, List<Pod> pods) {
        Set<String> names = new LinkedHashSet<>(old.getPodNames() == null ? List.of() : old.getPodNames());
        Pods.oldestFirst(pods).forEach(pod -> names.add(Pods.name(pod)));
        return names.isEmpty() ? null : new ArrayList<>(names);
    }

    private static Optional<Instant> earliestStart(List<Pod> pods) {
        return pods.stream().map(Pods::startedAt).flatMap(Optional::stream).min(Instant::compareTo);
    }

    private static Instant created(ModelJob modelJob, Instant now) {
        String created = modelJob.getMetadata().getCreationTimestamp();
        return created == null ? now : Rfc3339.instant(created);
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
        if (last.length() <= LAST_LOG_CHARS) {
            return last;
        }
        int start = last.length() - LAST_LOG_CHARS;
        return last.substring(Character.isLowSurrogate(last.charAt(start)) ? start + 1 : start); // never half a character
    }
}
