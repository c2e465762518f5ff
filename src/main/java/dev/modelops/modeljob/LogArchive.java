package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.LogsRef;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Labels;
import dev.modelops.common.Names;
import dev.modelops.common.Owners;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the end of each pod's log in a ConfigMap owned by the ModelJob, so that the logs outlive the pods (Job TTL,
 * garbage collection). Written once, when the job ends; a ModelJob that already has one keeps it.
 */
final class LogArchive {

    private static final Logger LOG = Logger.getLogger(LogArchive.class);
    /** A ConfigMap holds at most 1 MiB; the rest is room for keys and metadata. */
    static final int MAX_TOTAL_BYTES = 1_000_000;

    private final KubernetesClient client;
    private final int tailBytes;

    LogArchive(KubernetesClient client, int tailBytes) {
        this.client = client;
        this.tailBytes = tailBytes;
    }

    static String configMapName(ModelJob modelJob) {
        return Names.child(modelJob.getMetadata().getName(), "logs");
    }

    /** Reads the pods' logs, newest pod first within the ConfigMap's size, and stores them. */
    KeptLogs keep(ModelJob modelJob, List<Pod> pods) {
        String namespace = modelJob.getMetadata().getNamespace();
        Map<String, String> byPod = new LinkedHashMap<>();
        boolean truncated = false;
        int room = MAX_TOTAL_BYTES;
        List<Pod> newestFirst = new ArrayList<>(Pods.oldestFirst(pods));
        Collections.reverse(newestFirst);
        for (Pod pod : newestFirst) {
            Optional<String> log = read(namespace, Pods.name(pod));
            if (log.isEmpty()) {
                continue;
            }
            LogTail tail = LogTail.of(log.get(), Math.min(tailBytes, room));
            truncated |= tail.truncated();
            room -= tail.text().getBytes(StandardCharsets.UTF_8).length;
            byPod.put(Pods.name(pod), tail.text());
            if (room <= 0) {
                truncated |= newestFirst.indexOf(pod) < newestFirst.size() - 1;
                break;
            }
        }
        LogsRef ref = new LogsRef();
        ref.setConfigMap(configMapName(modelJob));
        ref.setTruncated(truncated);
        return new KeptLogs(ref, store(modelJob, byPod, truncated));
    }

    private Map<String, String> store(ModelJob modelJob, Map<String, String> byPod, boolean truncated) {
        Map<String, String> data = new LinkedHashMap<>();
        byPod.forEach((pod, text) -> data.put(pod + ".log", text));
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(configMapName(modelJob)).withNamespace(modelJob.getMetadata().getNamespace())
                .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR)
                .addToLabels(Labels.MODEL_JOB, modelJob.getMetadata().getName())
                .addToAnnotations("modelops.dev/logs-truncated", Boolean.toString(truncated))
                .withOwnerReferences(Owners.controller(modelJob))
                .endMetadata()
                .withData(data).build();
        try {
            client.configMaps().resource(configMap).create();
            return byPod;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return kept(client.configMaps().resource(configMap).get());
        }
    }

    /** Kept by an earlier reconcile whose status was not written: what it holds is the record. */
    private static Map<String, String> kept(ConfigMap existing) {
        Map<String, String> byPod = new LinkedHashMap<>();
        if (existing != null && existing.getData() != null) {
            existing.getData().forEach((key, text) -> byPod.put(key.replaceFirst("\\.log$", ""), text));
        }
        return byPod;
    }

    /**
     * One GET of the pod's log. fabric8's {@code getLog()} first lists the pod to wait until it is ready, a request
     * per log that the API server must answer for every job.
     */
    private Optional<String> read(String namespace, String pod) {
        try {
            return Optional.ofNullable(client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?container="
                    + BatchJobFactory.CONTAINER));
        } catch (KubernetesClientException e) {
            LOG.debugf("No log of pod %s: %s", pod, e.getMessage());
            return Optional.empty();
        }
    }
}
