package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Owner-reference garbage collection in background mode: a dependent whose owners are all gone is deleted. It
 * reacts to each deletion and also sweeps, so that orphans left while the sandbox was down go too. Owners of kinds
 * it does not watch are taken to exist.
 */
final class GarbageCollector {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private static final String OWNER_UID = "owner-uid";
    private static final String UID = "uid";

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informersByKind;
    private WorkQueue queue;

    /** @param informersByKind the watched kinds, by their {@code kind} name */
    GarbageCollector(KubernetesClient client, Map<String, SharedIndexInformer<? extends HasMetadata>> informersByKind) {
        this.client = client;
        this.informersByKind = informersByKind;
    }

    void start() {
        queue = new WorkQueue("garbage-collector", 1, this::collectDependentsOf);
        informersByKind.values().forEach(this::watch);
    }

    private <T extends HasMetadata> void watch(SharedIndexInformer<T> informer) {
        informer.addIndexers(Map.of(
                OWNER_UID, o -> o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList(),
                UID, o -> List.of(o.getMetadata().getUid())));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                queue.add(obj.getMetadata().getUid());
            }
        });
    }

    /** Deletes the dependents of a deleted owner whose other owners are gone too. */
    private void collectDependentsOf(String ownerUid) {
        for (SharedIndexInformer<? extends HasMetadata> informer : informersByKind.values()) {
            for (HasMetadata dependent : informer.getIndexer().byIndex(OWNER_UID, ownerUid)) {
                if (orphaned(dependent)) {
                    delete(dependent);
                }
            }
        }
    }

    /** Finds every orphan, for example after a restart; deletions are queued like any other. */
    void sweep() {
        Set<String> seenOwners = informersByKind.values().stream()
                .flatMap(i -> i.getStore().list().stream())
                .flatMap(o -> o.getMetadata().getOwnerReferences().stream())
                .map(OwnerReference::getUid).collect(Collectors.toSet());
        seenOwners.stream().filter(uid -> !exists(uid)).forEach(queue::add);
    }

    private boolean orphaned(HasMetadata dependent) {
        List<OwnerReference> owners = dependent.getMetadata().getOwnerReferences();
        return !owners.isEmpty() && owners.stream().noneMatch(this::ownerExists);
    }

    private boolean ownerExists(OwnerReference owner) {
        SharedIndexInformer<? extends HasMetadata> informer = informersByKind.get(owner.getKind());
        return informer == null || exists(informer, owner.getUid());
    }

    private boolean exists(String uid) {
        return informersByKind.values().stream().anyMatch(i -> exists(i, uid));
    }

    private static boolean exists(SharedIndexInformer<? extends HasMetadata> informer, String uid) {
        return !informer.getIndexer().byIndex(UID, uid).isEmpty();
    }

    private void delete(HasMetadata dependent) {
        try {
            client.resource(dependent).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warnf("garbage collection of %s %s: %s", dependent.getKind(), dependent.getMetadata().getName(),
                        e.getMessage());
            }
        }
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
