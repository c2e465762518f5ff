package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.function.Consumer;
import java.util.function.Function;

/** Informer event handlers that queue the key of whatever changed. */
final class Informers {

    private Informers() {
    }

    static <T extends HasMetadata> ResourceEventHandler<T> onChange(Consumer<String> queue) {
        return onChange(queue, (T o) -> Cache.metaNamespaceKeyFunc(o));
    }

    /** Queues the key that {@code keyOf} gives for the changed object, if it gives one. */
    static <T extends HasMetadata> ResourceEventHandler<T> onChange(Consumer<String> queue, Function<T, String> keyOf) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                accept(queue, keyOf.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                accept(queue, keyOf.apply(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                accept(queue, keyOf.apply(obj));
            }
        };
    }

    private static void accept(Consumer<String> queue, String key) {
        if (key != null) {
            queue.accept(key);
        }
    }
}
