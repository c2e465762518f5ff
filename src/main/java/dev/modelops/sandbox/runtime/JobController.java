package dev.modelops.sandbox.runtime;

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
    private WorkQueue queue;

    JobController(KubernetesClient client, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods,
            SandboxClock clock, Timers timers) {
        this.client = client;
        this.jobs = jobs;
        this.pods = pods;
        this.clock = clock;
        this.timers = timers;
    }

    void start(int workers) {
        pods.addIndexers(Map.of(CONTROLLER_UID, pod -> pod.getMetadata().getLabels() == null
                || !pod.getMetadata().getLabels().containsKey(CONTROLLER_UID) ? List.of()
                : List.of(pod.getMetadata().getLabels().get(CONTROLLER_UID))));
        queue = new WorkQueue("job-controller", workers, this::sync);
        jobs.addEventHandler(Informers.onChange(queue::add));
        pods.addEventHandler(Informers.<Pod>onChange(queue::add, pod -> Owners.controllerKey(pod, "Job")));
    }

    private void sync(String key) {
        Job job = jobs.getStore().getByKey(key);
        if (job == null) {
            return;
        }
        Instant now = clock.now();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        if (finished(status)) {
            expected.remove(job.getMetadata().getUid());
            finishedHere.remove(job.getMetadata().getUid());
            expireAfterTtl(job, status, now);
            return;
        }
        if (finishedHere.contains(job.getMetadata().getUid())) {
            return;
        }
        List<Pod> owned = pods.getIndexer().byIndex(CONTROLLER_UID, job.getMetadata().getUid());
        Set<String> seen = new HashSet<>();
        owned.forEach(p -> seen.add(p.getMetadata().getName()));
        Set<String> pending = expected.getOrDefault(job.getMetadata().getUid(), new HashSet<>());
        pending.removeIf(seen::contains);
        List<Pod> active = owned.stream().filter(p -> !terminal(p) && p.getMetadata().getDeletionTimestamp() == null).toList();
        int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(phase(p))).count();
        int failed = (int) owned.stream().filter(p -> "Failed".equals(phase(p))).count();
        int completions = Objects.requireNonNullElse(job.getSpec().getCompletions(), 1);
        int backoffLimit = Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), 6);
        boolean suspend = Boolean.TRUE.equals(job.getSpec().getSuspend());

        JobStatus next = Serialization.clone(status);
        next.setSucceeded(succeeded);
        next.setFailed(failed);
        next.setTerminating((int) owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null
                && !terminal(p)).count());
        List<JobCondition> conditions = new ArrayList<>(next.getConditions());
        if (suspend) {
            active.forEach(this::delete);
            setCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
            next.setActive(0);
            next.setReady(0);
        } else {
            if (conditions.stream().anyMatch(c -> c.getType().equals("Suspended") && c.getStatus().equals("True"))) {
                setCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
            }
            if (next.getStartTime() == null) {
                next.setStartTime(now.toString());
            }
            Long deadline = job.getSpec().getActiveDeadlineSeconds();
            Instant deadlineAt = deadline == null ? null : Instant.parse(next.getStartTime()).plusSeconds(deadline);
            if (succeeded >= completions) {
                complete(conditions, next, now);
            } else if (deadlineAt != null && !now.isBefore(deadlineAt)) {
                active.forEach(this::delete);
                fail(conditions, next, now, "DeadlineExceeded", "Job was active longer than specified deadline");
            } else if (failed > backoffLimit) {
                active.forEach(this::delete);
                fail(conditions, next, now, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            } else {
                if (active.isEmpty() && pending.isEmpty()) {
                    createPod(job);
                }
                next.setActive(Math.max(active.size(), pending.isEmpty() ? 1 : pending.size()));
                next.setReady((int) active.stream().filter(p -> "Running".equals(phase(p))).count());
                if (deadlineAt != null) {
                    timers.at(deadlineAt, key, queue::add);
                }
            }
        }
        next.setConditions(conditions);
        if (!Serialization.asJson(next).equals(Serialization.asJson(status))) {
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", next)));
            if (finished(next)) {
                finishedHere.add(job.getMetadata().getUid());
            }
        }
    }

    private static void complete(List<JobCondition> conditions, JobStatus next, Instant now) {
        setCondition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
        setCondition(conditions, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
        next.setCompletionTime(now.toString());
        next.setActive(0);
        next.setReady(0);
    }

    private static void fail(List<JobCondition> conditions, JobStatus next, Instant now, String reason, String message) {
        setCondition(conditions, "FailureTarget", "True", reason, message, now);
        setCondition(conditions, "Failed", "True", reason, message, now);
        next.setActive(0);
        next.setReady(0);
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
            delete(job);
        }
    }

    private void createPod(Job job) {
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
                .withOwnerReferences(controllerReference(job)).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        expected.computeIfAbsent(job.getMetadata().getUid(), uid -> ConcurrentHashMap.newKeySet()).add(name);
        try {
            client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
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

    private static void setCondition(List<JobCondition> conditions, String type, String status, String reason,
            String message, Instant now) {
        for (JobCondition c : conditions) {
            if (c.getType().equals(type)) {
                if (!c.getStatus().equals(status)) {
                    c.setStatus(status);
                    c.setLastTransitionTime(now.toString());
                    c.setLastProbeTime(now.toString());
                    c.setReason(reason);
                    c.setMessage(message);
                }
                return;
            }
        }
        conditions.add(new JobConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastProbeTime(now.toString()).withLastTransitionTime(now.toString()).build());
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
    }
}
