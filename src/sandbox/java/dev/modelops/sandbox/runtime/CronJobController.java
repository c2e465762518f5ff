package dev.modelops.sandbox.runtime;

import dev.modelops.lifecycle.Schedule;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import dev.modelops.common.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The CronJob controller: starts a Job at each scheduled time (on the sandbox clock, in the CronJob's time zone),
 * with {@code suspend}, {@code concurrencyPolicy}, {@code startingDeadlineSeconds} and the history limits as
 * Kubernetes honours them. Job names are {@code <cronjob>-<scheduled minutes since the epoch>}, as Kubernetes
 * names them, so a run is never started twice.
 */
final class CronJobController {

    private static final Logger LOG = Logger.getLogger(CronJobController.class);
    static final String SCHEDULED_AT = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final String OWNER_CRONJOB = "owner-cronjob-uid";

    private final KubernetesClient client;
    private final SharedIndexInformer<CronJob> cronJobs;
    private final SharedIndexInformer<Job> jobs;
    private final SandboxClock clock;
    private final Timers timers;
    private final EventRecorder events;
    private WorkQueue queue;

    CronJobController(KubernetesClient client, SharedIndexInformer<CronJob> cronJobs, SharedIndexInformer<Job> jobs,
            SandboxClock clock, Timers timers) {
        this.client = client;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.clock = clock;
        this.timers = timers;
        this.events = new EventRecorder(client, "cronjob-controller");
    }

    void start(int workers) {
        jobs.addIndexers(Map.of(OWNER_CRONJOB, job -> Owners.controller(job, "CronJob").map(o -> List.of(o.getUid())).orElse(List.of())));
        queue = new WorkQueue("cronjob-controller", workers, this::sync);
        cronJobs.addEventHandler(Informers.onChange(queue::add));
        jobs.addEventHandler(Informers.<Job>onChange(queue::add, job -> Owners.controllerKey(job, "CronJob")));
    }

    private void sync(String key) {
        CronJob cronJob = cronJobs.getStore().getByKey(key);
        if (cronJob == null) {
            return;
        }
        Schedule schedule;
        try {
            schedule = Schedule.of(cronJob.getSpec().getSchedule(), cronJob.getSpec().getTimeZone());
        } catch (RuntimeException e) {
            LOG.warnf("CronJob %s: unreadable schedule or time zone: %s", key, e.getMessage());
            return;
        }
        Instant now = clock.now();
        List<Job> owned = jobs.getIndexer().byIndex(OWNER_CRONJOB, cronJob.getMetadata().getUid());
        List<Job> running = owned.stream().filter(j -> j.getStatus() == null || !JobController.finished(j.getStatus())).toList();
        CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus();
        CronJobStatus next = Serialization.clone(status);

        Instant since = status.getLastScheduleTime() != null ? Instant.parse(status.getLastScheduleTime())
                : Instant.parse(cronJob.getMetadata().getCreationTimestamp());
        Optional<Instant> due = schedule.lastAtOrBefore(now).filter(t -> t.isAfter(since));
        if (due.isPresent() && !Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            Long startingDeadline = cronJob.getSpec().getStartingDeadlineSeconds();
            boolean missed = startingDeadline != null && due.get().plusSeconds(startingDeadline).isBefore(now);
            String policy = Objects.requireNonNullElse(cronJob.getSpec().getConcurrencyPolicy(), "Allow");
            if (missed) {
                next.setLastScheduleTime(due.get().toString());
                events.record(cronJob, CronJobReason.MissSchedule, "Missed scheduled time to start a job: "
                        + due.get() + " (startingDeadlineSeconds " + startingDeadline + ")", now);
            } else if ("Forbid".equals(policy) && !running.isEmpty()) {
                events.record(cronJob, CronJobReason.JobAlreadyActive,
                        "Not starting job because prior execution is running and concurrency policy is Forbid", now);
            } else {
                if ("Replace".equals(policy)) {
                    running.forEach(j -> client.resource(j).delete());
                }
                Job started = startJob(cronJob, due.get());
                events.record(cronJob, CronJobReason.SuccessfulCreate, "Created job " + started.getMetadata().getName(), now);
                next.setLastScheduleTime(due.get().toString());
                running = "Replace".equals(policy) ? List.of(started) : concat(running, started);
            }
        }
        // cronjob_controllerv2.go: a Job listed as active that has finished is reported once, as SawCompletedJob
        for (Job j : owned) {
            boolean listed = status.getActive().stream().anyMatch(a -> j.getMetadata().getUid().equals(a.getUid()));
            if (listed && j.getStatus() != null && JobController.finished(j.getStatus())) {
                String outcome = hasCondition(j, "Complete") ? "Complete" : "Failed";
                events.record(cronJob, CronJobReason.SawCompletedJob, "Saw completed job: " + j.getMetadata().getName()
                        + ", condition: " + outcome, now);
            }
        }
        next.setActive(running.stream().map(j -> new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(j.getMetadata().getName()).withNamespace(j.getMetadata().getNamespace())
                .withUid(j.getMetadata().getUid()).build()).toList());
        owned.stream().filter(j -> j.getStatus() != null && j.getStatus().getCompletionTime() != null)
                .map(j -> j.getStatus().getCompletionTime()).max(Comparator.naturalOrder())
                .ifPresent(next::setLastSuccessfulTime);
        pruneHistory(cronJob, owned);
        if (!Serialization.asJson(next).equals(Serialization.asJson(status))) {
            client.batch().v1().cronjobs().inNamespace(cronJob.getMetadata().getNamespace())
                    .withName(cronJob.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", mergePatch(next))));
        }
        schedule.nextAfter(now).ifPresent(at -> timers.at(at, key, queue::add));
    }

    /**
     * The status as a merge patch. An empty list is left out of the JSON, which a merge patch reads as "unchanged":
     * no active Job must be written as null for the last one to leave the list.
     */
    private static Map<String, Object> mergePatch(CronJobStatus status) {
        Map<String, Object> patch = new HashMap<>(Serialization.jsonMapper().convertValue(status, Map.class));
        if (status.getActive().isEmpty()) {
            patch.put("active", null);
        }
        return patch;
    }

    private Job startJob(CronJob cronJob, Instant scheduled) {
        var template = cronJob.getSpec().getJobTemplate();
        Map<String, String> annotations = new HashMap<>(template.getMetadata() == null || template.getMetadata()
                .getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_AT, scheduled.toString());
        Job job = new JobBuilder()
                .withNewMetadata().withName(Schedule.jobName(cronJob.getMetadata().getName(), scheduled))
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(annotations)
                .withOwnerReferences(JobController.controllerReference(cronJob)).endMetadata()
                .withSpec(template.getSpec()).build();
        try {
            return client.batch().v1().jobs().inNamespace(cronJob.getMetadata().getNamespace()).resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return client.batch().v1().jobs().inNamespace(cronJob.getMetadata().getNamespace())
                        .withName(job.getMetadata().getName()).get();
            }
            throw e;
        }
    }

    private void pruneHistory(CronJob cronJob, List<Job> owned) {
        prune(cronJob, owned, this::succeeded,
                Objects.requireNonNullElse(cronJob.getSpec().getSuccessfulJobsHistoryLimit(), 3));
        prune(cronJob, owned, this::failed, Objects.requireNonNullElse(cronJob.getSpec().getFailedJobsHistoryLimit(), 1));
    }

    private void prune(CronJob cronJob, List<Job> owned, java.util.function.Predicate<Job> kind, int keep) {
        List<Job> finished = owned.stream().filter(kind)
                .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
                        .thenComparing(j -> j.getMetadata().getName()))
                .toList();
        finished.stream().limit(Math.max(0, finished.size() - keep)).forEach(j -> {
            try {
                client.resource(j).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                        .delete();
                events.record(cronJob, CronJobReason.SuccessfulDelete, "Deleted job " + j.getMetadata().getName(),
                        clock.now());
            } catch (KubernetesClientException e) {
                LOG.debugf("pruning %s: %s", j.getMetadata().getName(), e.getMessage());
            }
        });
    }

    private boolean succeeded(Job job) {
        return hasCondition(job, "Complete");
    }

    private boolean failed(Job job) {
        return hasCondition(job, "Failed");
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch((JobCondition c) -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    private static List<Job> concat(List<Job> running, Job started) {
        return java.util.stream.Stream.concat(running.stream(), java.util.stream.Stream.of(started)).toList();
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
