package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import io.fabric8.kubernetes.api.model.ConfigMap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a ModelJob should have ended, and the check of it against what the user finds: its phase and the reason of
 * its deciding condition, its result, its kept logs, its timeline (complete, in time order, one ending), its
 * observed generation, and whether it launched a batch Job. {@link #duplicates} checks any ModelJob: at most one
 * batch Job, ever.
 *
 * @param phase the phase it ends in
 * @param reason the reason of its Complete, Failed or Cancelled condition; null to leave it unchecked
 * @param story timeline reasons that must appear in this order (others may come between)
 * @param metrics its result's metrics; null when it reports none
 * @param logs what its logs ConfigMap holds
 * @param batchJob whether it launched a batch Job: true, false, or null when either may be
 */
record JobEnd(JobPhase phase, String reason, List<String> story, Map<String, Double> metrics, Logs logs,
        Boolean batchJob) {

    private static final Set<String> ENDINGS = Set.of("Succeeded", "Failed", "Cancelled");
    /** Entries whose time is the cluster's (the Job's and pods'), not the ModelJob's. */
    private static final Set<String> CLUSTER = Set.of("JobCreated", "PodScheduled", "Started", "PodWaiting",
            "PodFailed");

    /** What the logs ConfigMap must hold of the log the container writes. */
    sealed interface Logs {
        /** The whole log, as the container wrote it. */
        record Whole(String text) implements Logs {
        }

        /** The lines written before the stop: a beginning of the log. */
        record SoFar(String text) implements Logs {
        }

        /** Not checked: none, or some. */
        record Any() implements Logs {
        }
    }

    static final List<String> RAN = List.of("Created", "JobCreated", "PodScheduled", "Started");

    static JobEnd succeeded(Map<String, Double> metrics, String log) {
        return new JobEnd(JobPhase.Succeeded, "Succeeded", with(RAN, "Succeeded"), metrics, new Logs.Whole(log), true);
    }

    static JobEnd failed(String reason, List<String> story, Logs logs, Boolean batchJob) {
        return new JobEnd(JobPhase.Failed, reason, story, null, logs, batchJob);
    }

    static JobEnd cancelled(List<String> before, Logs logs, Boolean batchJob) {
        List<String> story = new ArrayList<>(before);
        story.add("StopRequested");
        story.add("Cancelled");
        return new JobEnd(JobPhase.Cancelled, "StopRequested", story, null, logs, batchJob);
    }

    static List<String> with(List<String> story, String last) {
        List<String> longer = new ArrayList<>(story);
        longer.add(last);
        return List.copyOf(longer);
    }

    /** Whether the job is where it should end, as far as waiting goes: its phase. */
    boolean reached(ModelJob job) {
        return job.getStatus() != null && job.getStatus().getPhase() == phase;
    }

    /** Checks the ended job; a job that should have ended and has not is lost. */
    void check(String name, Snapshot end, Launches launches, Defects defects) {
        Optional<ModelJob> found = end.modelJob(name);
        if (found.isEmpty()) {
            defects.lost(subject(name), "the ModelJob is gone");
            return;
        }
        ModelJob job = found.get();
        var status = job.getStatus();
        if (status == null || status.getPhase() != phase) {
            defects.lost(subject(name), "is " + (status == null ? "without status" : status.getPhase() + ": "
                    + status.getMessage()) + ", expected " + phase + story(job));
            return;
        }
        List<String> problems = new ArrayList<>();
        String deciding = switch (phase) {
            case Succeeded -> "Complete";
            case Failed -> "Failed";
            case Cancelled -> "Cancelled";
            default -> null;
        };
        if (deciding != null) {
            Optional<Condition> condition = condition(job, deciding);
            if (condition.isEmpty() || condition.get().getStatus() != ConditionStatus.True) {
                problems.add("condition " + deciding + " is not True");
            } else if (reason != null && !reason.equals(condition.get().getReason())) {
                problems.add("condition " + deciding + " has reason " + condition.get().getReason() + ", expected "
                        + reason + " (" + condition.get().getMessage() + ")");
            }
        }
        if (!Objects.equals(job.getMetadata().getGeneration(), status.getObservedGeneration())) {
            problems.add("observedGeneration " + status.getObservedGeneration() + " of generation "
                    + job.getMetadata().getGeneration());
        }
        if (metrics != null && (status.getResult() == null || !metrics.equals(status.getResult().getMetrics()))) {
            problems.add("result " + (status.getResult() == null ? "missing" : status.getResult().getMetrics())
                    + ", expected metrics " + metrics);
        }
        problems.addAll(timelineProblems(status.getTimeline()));
        problems.addAll(logProblems(job, end));
        if (Boolean.FALSE.equals(batchJob) && !launches.jobsNamed(name).isEmpty()) {
            problems.add("a batch Job was created, and none should have been");
        }
        if (Boolean.TRUE.equals(batchJob) && launches.jobsOf(job.getMetadata().getUid()).isEmpty()
                && !"JobLost".equals(reason)) {
            problems.add("no batch Job was created");
        }
        if (!problems.isEmpty()) {
            defects.lost(subject(name), String.join("; ", problems) + story(job));
        }
    }

    /** More than one batch Job for the ModelJob, ever. */
    static void duplicates(String name, ModelJob job, Launches launches, Defects defects) {
        Set<String> jobs = launches.jobsOf(job.getMetadata().getUid());
        if (jobs.size() > 1) {
            defects.duplicate(subject(name), jobs.size() + " batch Jobs were created for it: " + jobs);
        }
    }

    private List<String> timelineProblems(List<TimelineEntry> timeline) {
        List<String> problems = new ArrayList<>();
        if (timeline == null || timeline.isEmpty()) {
            return List.of("no timeline");
        }
        List<String> reasons = timeline.stream().map(TimelineEntry::getReason).toList();
        int created = reasons.indexOf("Created");
        // A run of a BatchPrediction is adopted after its Job was created: what the Job did may come first.
        if (created < 0 || !CLUSTER.containsAll(reasons.subList(0, created))) {
            problems.add("the timeline starts with " + reasons.subList(0, created < 0 ? reasons.size() : created)
                    + " before Created");
        }
        for (int i = 1; i < timeline.size(); i++) {
            if (Instant.parse(timeline.get(i).getTime()).isBefore(Instant.parse(timeline.get(i - 1).getTime()))) {
                problems.add("the timeline is out of time order at " + timeline.get(i).getReason());
            }
        }
        List<String> endings = timeline.stream().map(TimelineEntry::getReason).filter(ENDINGS::contains).toList();
        if (endings.size() != 1 || !endings.get(0).equals(phase.name())) {
            problems.add("the timeline ends " + endings + ", expected once " + phase);
        }
        int at = 0;
        for (TimelineEntry entry : timeline) {
            if (at < story.size() && story.get(at).equals(entry.getReason())) {
                at++;
            }
        }
        if (at < story.size()) {
            problems.add("the timeline lacks " + story.get(at) + " (expected in order " + story + ")");
        }
        return problems;
    }

    private List<String> logProblems(ModelJob job, Snapshot end) {
        if (logs instanceof Logs.Any) {
            return List.of();
        }
        String name = job.getMetadata().getName();
        var ref = job.getStatus().getLogs();
        if (ref == null || ref.getConfigMap() == null) {
            return List.of("no kept logs in status" + Optional.ofNullable(job.getStatus().getTimeline())
                    .flatMap(timeline -> timeline.stream().filter(e -> "LogsNotKept".equals(e.getReason()))
                            .map(e -> " (" + e.getMessage() + ")").reduce((first, last) -> last)).orElse(""));
        }
        Optional<ConfigMap> configMap = end.configMap(ref.getConfigMap());
        if (configMap.isEmpty()) {
            return List.of("its logs ConfigMap " + ref.getConfigMap() + " is missing");
        }
        Map<String, String> data = Optional.ofNullable(configMap.get().getData()).orElse(Map.of());
        if (logs instanceof Logs.Whole whole) {
            if (data.size() != 1 || !data.values().iterator().next().equals(whole.text())) {
                return List.of("its kept logs are " + abbreviated(data) + ", expected the whole log "
                        + abbreviated(Map.of(name, whole.text())));
            }
        } else if (logs instanceof Logs.SoFar soFar
                && data.values().stream().anyMatch(text -> !soFar.text().startsWith(text))) {
            return List.of("its kept logs " + abbreviated(data) + " are not a beginning of its log");
        }
        return List.of();
    }

    private static String abbreviated(Map<String, String> data) {
        StringBuilder text = new StringBuilder("{");
        data.forEach((key, value) -> text.append(key).append('=').append('"')
                .append(value.length() > 60 ? value.substring(0, 60).replace("\n", "\\n") + "..."
                        : value.replace("\n", "\\n")).append("\" "));
        return text.append('}').toString();
    }

    static Optional<Condition> condition(ModelJob job, String type) {
        return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
                : job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static String story(ModelJob job) {
        if (job.getStatus() == null || job.getStatus().getTimeline() == null) {
            return "";
        }
        return "; timeline " + job.getStatus().getTimeline().stream()
                .map(entry -> entry.getReason() + "@" + entry.getTime().substring(11)).toList();
    }

    static String subject(String name) {
        return "ModelJob " + name;
    }
}
