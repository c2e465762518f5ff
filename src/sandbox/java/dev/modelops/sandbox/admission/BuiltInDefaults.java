package dev.modelops.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The defaults the API server gives the built-in kinds the sandbox runs, on create: pkg/apis/core/v1/defaults.go
 * (pod specs and containers), pkg/apis/batch/v1/defaults.go (Jobs, CronJobs), pkg/apis/apps/v1/defaults.go
 * (Deployments, ReplicaSets), the ServiceAccount admission plugin
 * ({@code serviceAccountName: default} on pods), and the Job strategy's PrepareForCreate, which gives a Job its
 * generated selector and pod template labels from its uid ({@link #jobSelector}). Works in place.
 */
public final class BuiltInDefaults {

    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    private static final String LEGACY_CONTROLLER_UID = "controller-uid";
    private static final String LEGACY_JOB_NAME = "job-name";

    private BuiltInDefaults() {
    }

    /**
     * Defaults a new object of a kind this knows (v1 Pod, batch/v1 Job and CronJob, apps/v1 Deployment and
     * ReplicaSet); leaves others alone.
     */
    public static void onCreate(JsonNode object) {
        if (!(object instanceof ObjectNode o)) {
            return;
        }
        String apiVersion = o.path("apiVersion").asText();
        String kind = o.path("kind").asText();
        if ("v1".equals(apiVersion) && "Pod".equals(kind)) {
            ObjectNode spec = child(o, "spec");
            podSpec(spec);
            putIfAbsent(spec, "serviceAccountName", "default");
            putIfAbsent(spec, "serviceAccount", spec.path("serviceAccountName").asText());
            putIfAbsent(spec, "enableServiceLinks", true);
        } else if ("batch/v1".equals(apiVersion) && "Job".equals(kind)) {
            job(o);
        } else if ("batch/v1".equals(apiVersion) && "CronJob".equals(kind)) {
            ObjectNode spec = child(o, "spec");
            putIfAbsent(spec, "concurrencyPolicy", "Allow");
            putIfAbsent(spec, "suspend", false);
            putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
            putIfAbsent(spec, "failedJobsHistoryLimit", 1);
            podSpec(child(child(child(child(spec, "jobTemplate"), "spec"), "template"), "spec"));
        } else if ("apps/v1".equals(apiVersion) && "Deployment".equals(kind)) {
            deployment(o);
        } else if ("apps/v1".equals(apiVersion) && "ReplicaSet".equals(kind)) {
            ObjectNode spec = child(o, "spec");
            putIfAbsent(spec, "replicas", 1);
            podSpec(child(child(spec, "template"), "spec"));
        }
    }

    /** SetDefaults_Deployment, and the pod template's defaults. */
    private static void deployment(ObjectNode deployment) {
        ObjectNode spec = child(deployment, "spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = child(spec, "strategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode rollingUpdate = child(strategy, "rollingUpdate");
            putIfAbsent(rollingUpdate, "maxUnavailable", "25%");
            putIfAbsent(rollingUpdate, "maxSurge", "25%");
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        podSpec(child(child(spec, "template"), "spec"));
    }

    /** SetDefaults_Job, and the pod template's defaults. */
    private static void job(ObjectNode job) {
        ObjectNode spec = child(job, "spec");
        boolean noCompletions = !spec.hasNonNull("completions");
        if (noCompletions && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
        }
        putIfAbsent(spec, "parallelism", 1);
        putIfAbsent(spec, "backoffLimit", 6);
        putIfAbsent(spec, "completionMode", "NonIndexed");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "podReplacementPolicy", spec.hasNonNull("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        podSpec(child(child(spec, "template"), "spec"));
    }

    /**
     * The Job strategy's generateSelector: unless {@code manualSelector}, the selector is the Job's uid and the pod
     * template carries it and the Job's name as labels; a Job without labels of its own takes its template's.
     *
     * @return whether the Job changed
     */
    public static boolean jobSelector(ObjectNode job, String uid) {
        ObjectNode spec = child(job, "spec");
        if (spec.path("manualSelector").asBoolean(false) || uid == null || uid.isEmpty()) {
            return false;
        }
        String name = job.path("metadata").path("name").asText();
        ObjectNode labels = child(child(child(spec, "template"), "metadata"), "labels");
        labels.put(CONTROLLER_UID, uid);
        labels.put(JOB_NAME, name);
        labels.put(LEGACY_CONTROLLER_UID, uid);
        labels.put(LEGACY_JOB_NAME, name);
        ObjectNode selector = spec.putObject("selector");
        selector.putObject("matchLabels").put(CONTROLLER_UID, uid);
        ObjectNode metadata = child(job, "metadata");
        if (!metadata.path("labels").isObject() || metadata.path("labels").isEmpty()) {
            metadata.set("labels", labels.deepCopy());
        }
        return true;
    }

    /** SetDefaults_PodSpec and SetDefaults_Container. */
    private static void podSpec(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        if (!spec.hasNonNull("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    container(c);
                }
            }
        }
    }

    private static void container(ObjectNode container) {
        putIfAbsent(container, "imagePullPolicy", latest(container.path("image").asText()) ? "Always" : "IfNotPresent");
        putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(container, "terminationMessagePolicy", "File");
        if (!container.hasNonNull("resources")) {
            container.putObject("resources");
        }
        for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
            }
        }
    }

    /** An image with no tag or the tag {@code latest} (and no digest) is pulled always. */
    static boolean latest(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon <= slash || image.substring(colon + 1).equals("latest");
    }

    private static ObjectNode child(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        if (existing instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    private static void putIfAbsent(ObjectNode node, String field, Object value) {
        if (node.hasNonNull(field)) {
            return;
        }
        if (value instanceof String s) {
            node.put(field, s);
        } else if (value instanceof Integer i) {
            node.put(field, i);
        } else if (value instanceof Boolean b) {
            node.put(field, b);
        }
    }
}
