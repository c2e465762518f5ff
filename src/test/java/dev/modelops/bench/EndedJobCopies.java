package dev.modelops.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything one ended ModelJob left in the API (the ModelJob, its batch Job and pod, its logs ConfigMap, the Events of
 * the operator and the cluster), as the operator and the simulated runtime really left it, copied under other names:
 * thousands of ended jobs in a minute instead of the operator running each. Each copy is created through the API
 * server in the order that the uids it refers to exist (owner, then owned; Events last), with the copied uids and
 * names replaced, and gets the original's status by a status write.
 */
final class EndedJobCopies {

    /** The kinds one ModelJob leaves, owners before the objects that refer to them. */
    private static final List<String> KINDS = List.of("ModelJob", "Job", "Pod", "ConfigMap", "Event");
    private static final Map<String, String> API_VERSIONS = Map.of("ModelJob", "modelops.dev/v1alpha1",
            "Job", "batch/v1", "Pod", "v1", "ConfigMap", "v1", "Event", "v1");

    private final String unit;
    private final List<GenericKubernetesResource> objects;

    private EndedJobCopies(String unit, List<GenericKubernetesResource> objects) {
        this.unit = unit;
        this.objects = objects;
    }

    /** Reads what the ended ModelJob {@code unit} left; its name must not be the prefix of another unit's. */
    static EndedJobCopies of(KubernetesClient client, String unit) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String kind : KINDS) {
            client.genericKubernetesResources(API_VERSIONS.get(kind), kind).inNamespace("default").list().getItems()
                    .stream().filter(o -> leftBy(o, unit))
                    .sorted(Comparator.comparing(o -> o.getMetadata().getCreationTimestamp()))
                    .forEach(objects::add);
        }
        if (objects.stream().noneMatch(o -> o.getKind().equals("ModelJob"))) {
            throw new IllegalStateException("no ModelJob " + unit);
        }
        return new EndedJobCopies(unit, objects);
    }

    /** An object of the job's, or an Event about one (not one of its ModelVersion's that names it). */
    private static boolean leftBy(GenericKubernetesResource object, String unit) {
        if (object.getKind().equals("Event")) {
            Object involved = object.getAdditionalProperties().get("involvedObject");
            return involved instanceof Map<?, ?> about && String.valueOf(about.get("name")).startsWith(unit);
        }
        return Serialization.asJson(object).contains(unit);
    }

    /**
     * What is left of the job once the TTL-after-finished controller has deleted its batch Job (and with it the pods)
     * and the API server's Events have expired, both an hour after the end by default: its ModelJob and logs ConfigMap.
     */
    EndedJobCopies afterAnHour() {
        return new EndedJobCopies(unit, objects.stream()
                .filter(o -> o.getKind().equals("ModelJob") || o.getKind().equals("ConfigMap")).toList());
    }

    /** How many objects of each kind one job leaves. */
    Map<String, Long> perJob() {
        Map<String, Long> counts = new LinkedHashMap<>();
        objects.forEach(o -> counts.merge(o.getKind(), 1L, Long::sum));
        return counts;
    }

    /** Creates the copies named {@code prefix-from} to {@code prefix-(to - 1)}, eight jobs at a time. */
    void copy(KubernetesClient client, String prefix, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String name = prefix + "-" + i;
                copies.add(pool.submit(() -> {
                    copyAs(client, name);
                    return null;
                }));
            }
            for (Future<?> copy : copies) {
                copy.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void copyAs(KubernetesClient client, String name) {
        Map<String, String> uids = new HashMap<>();
        for (GenericKubernetesResource original : objects) {
            String json = Serialization.asJson(original).replace(unit, name);
            for (Map.Entry<String, String> uid : uids.entrySet()) {
                json = json.replace(uid.getKey(), uid.getValue());
            }
            GenericKubernetesResource copy = Serialization.unmarshal(json, GenericKubernetesResource.class);
            Object status = copy.getAdditionalProperties().remove("status");
            ObjectMeta metadata = copy.getMetadata();
            metadata.setUid(null);
            metadata.setResourceVersion(null);
            metadata.setCreationTimestamp(null);
            metadata.setManagedFields(null);
            metadata.setGeneration(null);
            GenericKubernetesResource created = client.resource(copy).create();
            uids.put(original.getMetadata().getUid(), created.getMetadata().getUid());
            if (status != null) {
                created.getAdditionalProperties().put("status", status);
                client.resource(created).updateStatus();
            }
        }
    }
}
