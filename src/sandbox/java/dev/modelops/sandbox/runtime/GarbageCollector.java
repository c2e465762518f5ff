package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Owner-reference garbage collection (pkg/controller/garbagecollector): a dependent whose owners are all gone is
 * deleted (Background); an owner being deleted with the {@code orphan} finalizer first loses its dependents (their
 * owner references to it go), then the finalizer; one with {@code foregroundDeletion} has its dependents deleted and
 * keeps the finalizer until none that blocks its deletion ({@code blockOwnerDeletion}) is left. It reacts to each
 * change and also sweeps, so that orphans left while the sandbox was down go too. Owners of kinds it does not watch
 * are taken to exist.
 */
final class GarbageCollector {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private static final String OWNER_UID = "owner-uid";
    private static final String UID = "uid";
    private static final String ORPHAN = "orphan";
    private static final String FOREGROUND = "foregroundDeletion";

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
                if (deletingWith(obj, ORPHAN) || deletingWith(obj, FOREGROUND)) {
                    queue.add(obj.getMetadata().getUid());
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onAdd(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                queue.add(obj.getMetadata().getUid());
                // an owner in foreground deletion may be waiting for this one
                obj.getMetadata().getOwnerReferences().forEach(o -> queue.add(o.getUid()));
            }
        });
    }

    /**
     * Deletes the dependents of a deleted owner whose other owners are gone too; orphans or deletes those of an owner
     * being deleted with the orphan or foreground finalizer.
     */
    private void collectDependentsOf(String ownerUid) {
        HasMetadata owner = find(ownerUid);
        List<HasMetadata> dependents = informersByKind.values().stream()
                .flatMap(i -> i.getIndexer().byIndex(OWNER_UID, ownerUid).stream()).map(d -> (HasMetadata) d).toList();
        if (owner != null && deletingWith(owner, ORPHAN)) {
            dependents.forEach(d -> {
                List<OwnerReference> kept = d.getMetadata().getOwnerReferences().stream()
                        .filter(o -> !o.getUid().equals(ownerUid)).toList();
                patch(d, Map.of("metadata", java.util.Collections.singletonMap("ownerReferences",
                        kept.isEmpty() ? null : kept)));
            });
            removeFinalizer(owner, ORPHAN);
        } else if (owner != null && deletingWith(owner, FOREGROUND)) {
            dependents.stream().filter(d -> d.getMetadata().getDeletionTimestamp() == null).forEach(this::delete);
            boolean blocked = dependents.stream().anyMatch(d -> d.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(ownerUid) && Boolean.TRUE.equals(o.getBlockOwnerDeletion())));
            if (!blocked) {
                removeFinalizer(owner, FOREGROUND);
            }
        } else if (owner == null) {
            for (HasMetadata dependent : dependents) {
                // the cache may not yet show an orphaning of this dependent: its live owner references decide
                HasMetadata live = orphaned(dependent) ? live(dependent) : null;
                if (live != null && orphaned(live)) {
                    delete(live);
                }
            }
        }
    }

    private static boolean deletingWith(HasMetadata object, String finalizer) {
        return object.getMetadata().getDeletionTimestamp() != null
                && object.getMetadata().getFinalizers().contains(finalizer);
    }

    private HasMetadata find(String uid) {
        return informersByKind.values().stream().flatMap(i -> i.getIndexer().byIndex(UID, uid).stream())
                .map(o -> (HasMetadata) o).findFirst().orElse(null);
    }

    private HasMetadata live(HasMetadata object) {
        try {
            return client.resource(object).get();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    private void removeFinalizer(HasMetadata owner, String finalizer) {
        List<String> finalizers = owner.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList();
        patch(owner, Map.of("metadata", java.util.Collections.singletonMap("finalizers",
                finalizers.isEmpty() ? null : finalizers)));
    }

    private void patch(HasMetadata object, Map<String, Object> patch) {
        try {
            client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
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
