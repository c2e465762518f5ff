package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.LogsRef;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.ApiErrors;
import dev.modelops.common.Labels;
import dev.modelops.common.Names;
import dev.modelops.common.Owners;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the end of each pod's log in a ConfigMap owned by the ModelJob, so that the logs outlive the pods (Job TTL,
 * garbage collection). Written once; a ModelJob whose ConfigMap exists keeps what it holds. A ConfigMap of that
 * name that another object owns (an earlier ModelJob of the same name) is never taken over.
 */
final class LogArchive {

    private static final Logger LOG = Logger.getLogger(LogArchive.class);
    /** A ConfigMap holds at most 1 MiB; the rest is room for keys and metadata. */
    static final int MAX_TOTAL_BYTES = 1_000_000;
    private static final long READ_TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;
    private final int tailBytes;

    LogArchive(KubernetesClient client, int tailBytes) {
        this.client = client;
        this.tailBytes = tailBytes;
    }

    static String configMapName(ModelJob modelJob) {
        return Names.child(modelJob.getMetadata().getName(), "logs");
    }

    /** What reading one pod's log gave: its tail, none (it never started, or it is gone), or a failure to retry. */
    private sealed interface PodLog {
        record Tail(LogTail tail) implements PodLog {
        }

        record None() implements PodLog {
        }

        record Unread(String why) implements PodLog {
        }
    }

    /**
     * Reads the pods' logs, newest pod first within the ConfigMap's size, and stores them. A log that could not be
     * read for now (the API server busy or faulty, the kubelet not yet serving a container that ran) stores nothing:
     * the ConfigMap is written once, and a log left out of it would be lost for good.
     */
    KeptLogs keep(ModelJob modelJob, List<Pod> pods) {
        String namespace = modelJob.getMetadata().getNamespace();
        Map<String, String> byPod = new LinkedHashMap<>();
        boolean truncated = false;
        int room = MAX_TOTAL_BYTES;
        List<Pod> newestFirst = new ArrayList<>(Pods.oldestFirst(pods));
        Collections.reverse(newestFirst);
        for (Pod pod : newestFirst) {
            if (room <= 0) {
                truncated = true;
                break;
            }
            PodLog log = read(namespace, pod, Math.min(tailBytes, room));
            if (log instanceof PodLog.Unread unread) {
                return KeptLogs.notKept("the log of pod " + Pods.name(pod) + " could not be read: " + unread.why(),
                        true);
            }
            if (!(log instanceof PodLog.Tail read)) {
                continue;
            }
            LogTail tail = read.tail();
            truncated |= tail.truncated();
            room -= tail.text().getBytes(StandardCharsets.UTF_8).length;
            byPod.put(Pods.name(pod), tail.text());
        }
        return store(modelJob, byPod, truncated);
    }

    private KeptLogs store(ModelJob modelJob, Map<String, String> byPod, boolean truncated) {
        Map<String, String> data = new LinkedHashMap<>();
        byPod.forEach((pod, text) -> data.put(pod + ".log", text));
        String name = configMapName(modelJob);
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(modelJob.getMetadata().getNamespace())
                .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR)
                .addToLabels(Labels.MODEL_JOB, modelJob.getMetadata().getName())
                .addToAnnotations("modelops.dev/logs-truncated", Boolean.toString(truncated))
                .withOwnerReferences(Owners.controller(modelJob))
                .endMetadata()
                .withData(data).build();
        try {
            client.configMaps().resource(configMap).create();
            return KeptLogs.kept(ref(name, truncated), byPod);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return existing(modelJob, name);
            }
            return KeptLogs.notKept("the API server refused ConfigMap " + name + ": " + ApiErrors.message(e),
                    ApiErrors.transientError(e));
        }
    }

    /** Kept by an earlier reconcile whose status was not written, or held by another object. */
    private KeptLogs existing(ModelJob modelJob, String name) {
        ConfigMap existing;
        try {
            existing = client.configMaps().inNamespace(modelJob.getMetadata().getNamespace()).withName(name).get();
        } catch (KubernetesClientException e) {
            return KeptLogs.notKept("ConfigMap " + name + " could not be read: " + ApiErrors.message(e),
                    ApiErrors.transientError(e));
        }
        if (existing == null) {
            return KeptLogs.notKept("ConfigMap " + name + " was deleted while the logs were kept", true);
        }
        if (!Owners.ownedBy(existing, modelJob)) {
            return KeptLogs.notKept("a ConfigMap named " + name + " exists and belongs to another object (an earlier"
                    + " ModelJob of the same name?); the logs of this job were not kept", false);
        }
        Map<String, String> byPod = new LinkedHashMap<>();
        if (existing.getData() != null) {
            existing.getData().forEach((key, text) -> byPod.put(key.replaceFirst("\\.log$", ""), text));
        }
        boolean truncated = existing.getMetadata().getAnnotations() != null
                && "true".equals(existing.getMetadata().getAnnotations().get("modelops.dev/logs-truncated"));
        return KeptLogs.kept(ref(name, truncated), byPod);
    }

    private static LogsRef ref(String name, boolean truncated) {
        LogsRef ref = new LogsRef();
        ref.setConfigMap(name);
        ref.setTruncated(truncated);
        return ref;
    }

    /**
     * The end of the pod's log, taken as it arrives: only the kept bytes are held. One GET, straight to the log
     * endpoint: fabric8's log calls first read the pod to wait until it is ready, a request per log that the API
     * server must answer for every job. The body is read to its end, never cancelled: a cancel closes the connection,
     * which the client may already have handed to another request. A pod that is gone (404) or whose container never
     * started (400) has no log; any other failure, or a 400 for a container that ran, is worth reading again.
     */
    private PodLog read(String namespace, Pod pod, int maxBytes) {
        String name = Pods.name(pod);
        String path = "api/v1/namespaces/" + namespace + "/pods/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "/log?container=" + PodTemplates.CONTAINER;
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(URI.create(client.getMasterUrl().toString().replaceFirst("/?$", "/") + path)).build();
        LogTail.Collector tail = new LogTail.Collector(maxBytes);
        try {
            HttpResponse<AsyncBody> response = client.getHttpClient().consumeBytes(request, (buffers, body) -> {
                buffers.forEach(tail::add);
                body.consume();
            }).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            response.body().consume();
            response.body().done().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (response.isSuccessful()) {
                return new PodLog.Tail(tail.tail());
            }
            LOG.debugf("No log of pod %s: HTTP %d", name, response.code());
            boolean ran = Pods.startedAt(pod).isPresent() || Pods.terminated(pod).isPresent();
            return response.code() == HttpURLConnection.HTTP_NOT_FOUND
                    || response.code() == HttpURLConnection.HTTP_BAD_REQUEST && !ran ? new PodLog.None()
                    : new PodLog.Unread("HTTP " + response.code());
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("No log of pod %s: %s", name, e.getMessage());
            return new PodLog.Unread(e.getCause() != null ? String.valueOf(e.getCause().getMessage())
                    : "no answer in " + READ_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PodLog.Unread("interrupted");
        }
    }
}
