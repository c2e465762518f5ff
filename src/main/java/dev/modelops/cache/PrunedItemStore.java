package dev.modelops.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer store that keeps only what the operator reads of each object, like client-go's transform functions:
 * a pod's spec, annotations and managed fields are most of its size and the operator reads none of them, and it
 * caches a pod and a Job for every ModelJob it has run.
 */
public class PrunedItemStore<T extends HasMetadata> implements ItemStore<T> {

    private final ItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> prune;

    protected PrunedItemStore(UnaryOperator<T> prune) {
        this.prune = prune;
    }

    @Override
    public String getKey(T object) {
        return store.getKey(object);
    }

    @Override
    public T put(String key, T object) {
        return store.put(key, prune.apply(object));
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }
}
