package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPodsBuilder;
import dev.modelops.common.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Optional;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller: one pod at a time until the Job's completions succeed or its pods fail more than
 * {@code backoffLimit} times; {@code activeDeadlineSeconds}, {@code suspend} and {@code ttlSecondsAfterFinished}
 * as Kubernetes honours them; status and conditions as Kubernetes 1.31+ writes them.
 */
final class JobController {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    /** The finalizer by which the Job controller counts a pod before it can vanish (KEP-2307). */
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    private static final String UID = "job-uid";
    private static final String ALPHANUMERIC = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;
    private final SandboxClock clock;
    private final Timers timers;
    /** Pods created but not yet seen by the informer, per Job uid, so that a quick second pass creates no twin. */
    private final Map<String, Set<String>> expected = new ConcurrentHashMap<>();
    /** Jobs this controller has finished, so that a pass over a stale cache does not finish them a second time. */
    private final Set<String> finishedHere = ConcurrentHashMap.newKeySet();
    private final EventRecorder events;
    private final Map<String, Job> lastWritten = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> suspendedPods = new ConcurrentHashMap<>();
    private WorkQueue queue;
    private WorkQueue orphanQueue;

    JobController(KubernetesClient client, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods,
            SandboxClock clock, Timers timers) {
        this.client = client;
        this.jobs = jobs;
        this.pods = pods;
        this.clock = clock;
        this.timers = timers;
        this.events = new EventRecorder(client, "job-controller");
    }

    void start(int workers) {
        jobs.addIndexers(Map.of(UID, job -> List.of(job.getMetadata().getUid())));
        pods.addIndexers(Map.of(CONTROLLER_UID, pod -> pod.getMetadata().getLabels() == null
                || !pod.getMetadata().getLabels().containsKey(CONTROLLER_UID) ? List.of()
                : List.of(pod.getMetadata().getLabels().get(CONTROLLER_UID))));
        queue = new WorkQueue("job-controller", workers, this::sync);
        jobs.addEventHandler(Informers.onChange(queue::add));
        pods.addEventHandler(Informers.<Pod>onChange(queue::add, pod -> Owners.controllerKey(pod, "Job")));
        orphanQueue = new WorkQueue("job-controller-orphans", 1, podKey -> {
            Pod pod = pods.getStore().getByKey(podKey);
            if (pod != null) {
                releaseOrphan(pod);
            }
        });
        pods.addEventHandler(Informers.<Pod>onChange(orphanQueue::add,
                pod -> tracked(pod) ? Cache.metaNamespaceKeyFunc(pod) : null));
    }

    private void sync(String key) {
        Job cached = jobs.getStore().getByKey(key);
        if (cached == null) {
            return;
        }
        // The informer may not yet show the status this controller last wrote; counting from an older one would count
        // a pod twice or never (client-go's controllers keep expectations for the same reason).
        Job written = lastWritten.get(cached.getMetadata().getUid());
        Job job = written != null && version(written) > version(cached) ? written : cached;
        if (written != null && written != job) {
            lastWritten.remove(cached.getMetadata().getUid(), written);
        }
        Instant now = clock.now();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        List<Pod> owned = pods.getIndexer().byIndex(CONTROLLER_UID, job.getMetadata().getUid());
        if (finished(status)) {
            lastWritten.remove(job.getMetadata().getUid());
            suspendedPods.remove(job.getMetadata().getUid());
            expected.remove(job.getMetadata().getUid());
            finishedHere.remove(job.getMetadata().getUid());
            owned.forEach(this::removeTrackingFinalizer);
            expireAfterTtl(job, status, now);
            return;
        }
        if (finishedHere.contains(job.getMetadata().getUid())) {
            return;
        }
        Set<String> seen = new HashSet<>();
        owned.forEach(p -> seen.add(p.getMetadata().getName()));
        Set<String> pending = expected.getOrDefault(job.getMetadata().getUid(), new HashSet<>());
        pending.removeIf(seen::contains);
        List<Pod> active = owned.stream().filter(p -> !terminal(p) && p.getMetadata().getDeletionTimestamp() == null).toList();
        int completions = Objects.requireNonNullElse(job.getSpec().getCompletions(), 1);
        int backoffLimit = Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), 6);
        boolean suspend = Boolean.TRUE.equals(job.getSpec().getSuspend());

        // Pod tracking with finalizers (KEP-2307): a terminated pod is first listed in uncountedTerminatedPods, then
        // loses its finalizer, and only then is it counted in succeeded or failed.
        JobStatus next = Serialization.clone(status);
        UncountedTerminatedPods before = status.getUncountedTerminatedPods();
        Map<String, Pod> byUid = new HashMap<>();
        owned.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
        int succeeded = Objects.requireNonNullElse(status.getSucceeded(), 0);
        int failed = Objects.requireNonNullElse(status.getFailed(), 0);
        List<String> uncountedSucceeded = new ArrayList<>();
        List<String> uncountedFailed = new ArrayList<>();
        if (before != null) {
            for (String uid : before.getSucceeded()) {
                if (tracked(byUid.get(uid))) {
                    uncountedSucceeded.add(uid);
                } else {
                    succeeded++;
                }
            }
            for (String uid : before.getFailed()) {
                if (tracked(byUid.get(uid))) {
                    uncountedFailed.add(uid);
                } else {
                    failed++;
                }
            }
        }
        for (Pod pod : owned) {
            String uid = pod.getMetadata().getUid();
            if (terminal(pod) && tracked(pod) && !uncountedSucceeded.contains(uid) && !uncountedFailed.contains(uid)) {
                ("Succeeded".equals(phase(pod)) ? uncountedSucceeded : uncountedFailed).add(uid);
            }
        }
        next.setSucceeded(succeeded);
        next.setFailed(failed);
        next.setUncountedTerminatedPods(new UncountedTerminatedPodsBuilder().withSucceeded(uncountedSucceeded)
                .withFailed(uncountedFailed).build());
        int terminating = (int) owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null
                && !terminal(p)).count();
        next.setTerminating(terminating);
        int succeededTotal = succeeded + uncountedSucceeded.size();
        int failedTotal = failed + uncountedFailed.size();
        boolean settled = terminating == 0 && uncountedSucceeded.isEmpty() && uncountedFailed.isEmpty();
        List<JobCondition> conditions = new ArrayList<>(next.getConditions());
        List<Runnable> after = new ArrayList<>();
        Optional<JobCondition> target = conditions.stream().filter(c -> c.getStatus().equals("True")
                && (c.getType().equals("FailureTarget") || c.getType().equals("SuccessCriteriaMet"))).findFirst();
        if (target.isPresent()) {
            // The Job's end is decided: its pods are stopped, and the final condition waits until none is left running.
            active.forEach(p -> after.add(() -> deletePod(job, p)));
            next.setActive(0);
            next.setReady(0);
            if (settled && active.isEmpty()) {
                finish(job, target.get(), conditions, next, now);
            }
        } else if (suspend) {
            Set<String> stopped = suspendedPods.computeIfAbsent(job.getMetadata().getUid(), u -> ConcurrentHashMap.newKeySet());
            active.forEach(p -> {
                stopped.add(p.getMetadata().getUid());
                after.add(() -> deletePod(job, p));
            });
            if (setCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
                after.add(() -> events.record(job, ClusterReason.Suspended, "Job suspended", now));
            }
            next.setStartTime(null);
            next.setActive(0);
            next.setReady(0);
        } else {
            if (conditions.stream().anyMatch(c -> c.getType().equals("Suspended") && c.getStatus().equals("True"))) {
                setCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
                after.add(() -> events.record(job, ClusterReason.Resumed, "Job resumed", now));
            }
            if (next.getStartTime() == null) {
                next.setStartTime(now.toString());
            }
            Long deadline = job.getSpec().getActiveDeadlineSeconds();
            Instant deadlineAt = deadline == null ? null : Instant.parse(next.getStartTime()).plusSeconds(deadline);
            JobCondition decided = null;
            if (succeededTotal >= completions) {
                decided = condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
            } else if (deadlineAt != null && !now.isBefore(deadlineAt)) {
                decided = condition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline", now);
            } else if (failedTotal - stoppedBySuspension(job, owned) > backoffLimit) {
                decided = condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            }
            if (decided != null) {
                conditions.add(decided);
                active.forEach(p -> after.add(() -> deletePod(job, p)));
                next.setActive(0);
                next.setReady(0);
                if (settled && active.isEmpty()) {
                    finish(job, decided, conditions, next, now);
                }
            } else {
                // a Job being deleted (in the foreground, its pods going first) gets no new pod
                if (active.isEmpty() && pending.isEmpty() && job.getMetadata().getDeletionTimestamp() == null) {
                    after.add(() -> createPod(job, now));
                }
                next.setActive(Math.max(active.size(), active.isEmpty() && pending.isEmpty() ? 1 : pending.size()));
                next.setReady((int) active.stream().filter(p -> "Running".equals(phase(p))).count());
                if (deadlineAt != null) {
                    timers.at(deadlineAt, key, queue::add);
                }
            }
        }
        next.setConditions(conditions);
        if (!Serialization.asJson(next).equals(Serialization.asJson(status))) {
            Job patched = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), statusPatch(next));
            if (patched != null && patched.getMetadata().getUid().equals(job.getMetadata().getUid())) {
                lastWritten.put(patched.getMetadata().getUid(), patched);
            }
            if (finished(next)) {
                finishedHere.add(job.getMetadata().getUid());
                JobCondition end = next.getConditions().stream().filter(c -> c.getType().equals("Complete")
                        || c.getType().equals("Failed")).findFirst().orElseThrow();
                if (end.getType().equals("Complete")) {
                    events.record(job, ClusterReason.Completed, "Job completed", now);
                } else {
                    events.record(job, ClusterReason.valueOf(end.getReason()), end.getMessage(), now);
                }
            }
        }
        // Finalizers go only once the status lists the pods, so that none is counted twice or lost.
        next.getUncountedTerminatedPods().getSucceeded().forEach(uid -> removeTrackingFinalizer(byUid.get(uid)));
        next.getUncountedTerminatedPods().getFailed().forEach(uid -> removeTrackingFinalizer(byUid.get(uid)));
        after.forEach(Runnable::run);
    }

    /** The failed pods that failed because the Job was suspended: they do not count against its backoffLimit. */
    private int stoppedBySuspension(Job job, List<Pod> owned) {
        Set<String> stopped = suspendedPods.getOrDefault(job.getMetadata().getUid(), Set.of());
        return (int) stopped.stream().filter(uid -> owned.stream().noneMatch(p -> p.getMetadata().getUid().equals(uid)
                && !terminal(p))).count();
    }

    /** The final condition of a decided Job: Complete after SuccessCriteriaMet, Failed after FailureTarget. */
    private static void finish(Job job, JobCondition target, List<JobCondition> conditions, JobStatus next, Instant now) {
        if (target.getType().equals("SuccessCriteriaMet")) {
            setCondition(conditions, "Complete", "True", target.getReason(), target.getMessage(), now);
            next.setCompletionTime(now.toString());
        } else {
            setCondition(conditions, "Failed", "True", target.getReason(), target.getMessage(), now);
        }
    }

    private static JobCondition condition(String type, String reason, String message, Instant now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now.toString()).withLastTransitionTime(now.toString()).build();
    }

    /**
     * The merge patch that makes the status {@code next}: fabric8 leaves empty lists and nulls out of its JSON, which
     * in a merge patch would keep the old values (the uncounted pods, the startTime of a suspended Job).
     */
    private static String statusPatch(JobStatus next) {
        com.fasterxml.jackson.databind.node.ObjectNode status = Serialization.jsonMapper().valueToTree(next);
        UncountedTerminatedPods uncounted = next.getUncountedTerminatedPods();
        com.fasterxml.jackson.databind.node.ObjectNode pods = status.putObject("uncountedTerminatedPods");
        pods.putPOJO("succeeded", uncounted == null ? List.of() : uncounted.getSucceeded());
        pods.putPOJO("failed", uncounted == null ? List.of() : uncounted.getFailed());
        if (next.getStartTime() == null) {
            status.putNull("startTime");
        }
        return Serialization.asJson(Map.of("status", status));
    }

    private static long version(Job job) {
        try {
            return Long.parseLong(job.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean tracked(Pod pod) {
        return pod != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    private void removeTrackingFinalizer(Pod pod) {
        if (!tracked(pod)) {
            return;
        }
        List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
        finalizers.remove(TRACKING_FINALIZER);
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata",
                            Collections.singletonMap("finalizers", finalizers.isEmpty() ? null : finalizers))));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** A pod whose Job is gone keeps no tracking finalizer (the Job controller's handling of orphan pods). */
    private void releaseOrphan(Pod pod) {
        if (!tracked(pod) || pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Job".equals(o.getKind())
                && Boolean.TRUE.equals(o.getController()) && !jobs.getIndexer().byIndex(UID, o.getUid()).isEmpty())) {
            return;
        }
        Optional<String> owner = Owners.controller(pod, "Job").map(o -> o.getUid());
        if (owner.isPresent()) {
            Job live = client.batch().v1().jobs().inNamespace(pod.getMetadata().getNamespace())
                    .withName(Owners.controller(pod, "Job").get().getName()).get();
            if (live != null && live.getMetadata().getUid().equals(owner.get())) {
                return;
            }
        }
        removeTrackingFinalizer(pod);
    }

    private void deletePod(Job job, Pod pod) {
        delete(pod);
        events.record(job, ClusterReason.SuccessfulDelete, "Deleted pod: " + pod.getMetadata().getName(), clock.now());
    }

    private void expireAfterTtl(Job job, JobStatus status, Instant now) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        String finishedAt = status.getCompletionTime() != null ? status.getCompletionTime()
                : status.getConditions().stream().filter(c -> c.getType().equals("Failed"))
                        .map(JobCondition::getLastTransitionTime).findFirst().orElse(null);
        if (ttl == null || finishedAt == null) {
            return;
        }
        Instant expiry = Instant.parse(finishedAt).plusSeconds(ttl);
        if (now.isBefore(expiry)) {
            timers.at(expiry, Cache.metaNamespaceKeyFunc(job), queue::add);
        } else {
            // as the TTL-after-finished controller deletes: in the foreground
            try {
                client.resource(job).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private void createPod(Job job, Instant now) {
        String name = job.getMetadata().getName() + "-" + suffix();
        ObjectMeta template = job.getSpec().getTemplate().getMetadata() == null ? new ObjectMeta()
                : job.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(template.getLabels(), Map.of()));
        labels.put("job-name", job.getMetadata().getName());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.put("controller-uid", job.getMetadata().getUid());
        labels.put(CONTROLLER_UID, job.getMetadata().getUid());
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(template.getAnnotations())
                .withFinalizers(TRACKING_FINALIZER)
                .withOwnerReferences(controllerReference(job)).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        expected.computeIfAbsent(job.getMetadata().getUid(), uid -> ConcurrentHashMap.newKeySet()).add(name);
        try {
            client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
            events.record(job, ClusterReason.SuccessfulCreate, "Created pod: " + name, now);
        } catch (KubernetesClientException e) {
            expected.get(job.getMetadata().getUid()).remove(name);
            throw e;
        }
    }

    static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private void delete(HasMetadata resource) {
        try {
            client.resource(resource).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** @return whether the condition changed */
    private static boolean setCondition(List<JobCondition> conditions, String type, String status, String reason,
            String message, Instant now) {
        for (JobCondition c : conditions) {
            if (c.getType().equals(type)) {
                if (!c.getStatus().equals(status)) {
                    c.setStatus(status);
                    c.setLastTransitionTime(now.toString());
                    c.setLastProbeTime(now.toString());
                    c.setReason(reason);
                    c.setMessage(message);
                    return true;
                }
                return false;
            }
        }
        conditions.add(new JobConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastProbeTime(now.toString()).withLastTransitionTime(now.toString()).build());
        return true;
    }

    static boolean finished(JobStatus status) {
        return status.getConditions().stream().anyMatch(c -> (c.getType().equals("Complete")
                || c.getType().equals("Failed")) && c.getStatus().equals("True"));
    }

    private static boolean terminal(Pod pod) {
        return "Succeeded".equals(phase(pod)) || "Failed".equals(phase(pod));
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String suffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
        if (orphanQueue != null) {
            orphanQueue.close();
        }
    }
}
