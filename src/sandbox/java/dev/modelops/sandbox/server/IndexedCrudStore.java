package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAME;
import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAMESPACE;
import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.PLURAL;

/**
 * fabric8's CRUD store with an index. {@link KubernetesCrudDispatcher} copies and scans every stored object for
 * each get, list and delete, and scans them again to find the object a create, update or patch concerns; with
 * 100,000 objects that is most of a request's time. This store files the keys of the same map by resource type, by
 * type and namespace and by type and name, and looks only at the keys of the one bucket a request can concern, in
 * the map's own order and still through the store's own key matching, so it answers as fabric8 does. Paths or keys
 * that the index cannot file go to fabric8's implementation unchanged. A list that asks for a page ({@code limit},
 * {@code continue}) gets it here, by keys, whichever way they are found ({@link ListPages}). Watches are the store's
 * own ({@link StoreWatch}), sent each change as one message built once.
 */
final class IndexedCrudStore extends KubernetesCrudDispatcher {

    /** A bucket of keys: a resource type, and either one namespace or one name of it, or neither. */
    private record Bucket(String plural, String namespace, String name) {
    }

    // The paths on which fabric8 (CustomResourceDefinitionProcessor.getApiResources) answers an empty list with an
    // API resource list instead.
    private static final Pattern API_RESOURCES = Pattern.compile(
            "/apis(/(?<group>[a-zA-Z0-9-_.]+))?(/(?<version>[a-zA-Z0-9-_]+))");
    private static final String WILDCARD = "*";

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Bucket, Set<AttributeSet>> buckets = new HashMap<>();
    private final AtomicLong resourceVersion = new AtomicLong();
    private final Set<StoreWatch> watches = new CopyOnWriteArraySet<>();
    private final WatchHistory history;
    /** The apiVersion and kind of each plural seen, for the BOOKMARK events of its watches. */
    private final Map<String, String[]> kinds = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService bookmarks =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sandbox-watch-bookmarks");
                thread.setDaemon(true);
                return thread;
            });

    IndexedCrudStore() {
        this(WatchHistory.DEFAULT_CAPACITY);
    }

    /** @param watchHistory how many changes are kept for watches that start from a resourceVersion */
    IndexedCrudStore(int watchHistory) {
        this.history = new WatchHistory(watchHistory);
        // as the API server, a BOOKMARK now and then to watches that allow them, so that a restarted watch starts late
        bookmarks.scheduleWithFixedDelay(this::bookmarkAll, 30, 30, java.util.concurrent.TimeUnit.SECONDS);
    }
    // Set once a key holds the wildcard "*" (fabric8 takes it for any value) or no single value where keys are
    // filed: such a key can match queries outside its buckets, so from then on fabric8 answers them all.
    private boolean unfiledKeys;

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return under(lock.writeLock(), () -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return under(lock.writeLock(), () -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return under(lock.writeLock(), () -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleGet(String path) {
        return under(lock.readLock(), () -> {
            if (path.contains("watch=true")) {
                return super.handleGet(path);
            }
            AttributeSet query = getKey(path);
            Collection<AttributeSet> candidates = candidates(query);
            if (!query.containsKey(NAME)) {
                Optional<ListPages> page;
                try {
                    page = ListPages.requested(path);
                } catch (IllegalArgumentException e) {
                    return Responses.badRequest(e.getMessage());
                }
                if (page.isPresent()) {
                    List<AttributeSet> listed = (candidates != null ? candidates : map.keySet()).stream()
                            .filter(key -> key.matches(query)).toList();
                    return Responses.json(200, page.get().body(listed, IndexedCrudStore::namespaceAndName, map::get,
                            String.valueOf(resourceVersion.get())));
                }
            }
            if (candidates == null) {
                return super.handleGet(path);
            }
            if (query.containsKey(NAME)) {
                return candidates.stream().filter(key -> key.matches(query)).findFirst()
                        .map(key -> new MockResponse().setResponseCode(200).setBody(map.get(key)))
                        .orElseGet(() -> new MockResponse().setResponseCode(404));
            }
            List<String> items = candidates.stream().filter(key -> key.matches(query)).map(map::get).toList();
            if (items.isEmpty() && API_RESOURCES.matcher(path).matches()) {
                return super.handleGet(path);
            }
            return list(items);
        });
    }

    /** As fabric8 deletes: what matches the path goes, or is marked deleted while it has finalizers. */
    @Override
    public MockResponse handleDelete(String path) {
        return under(lock.writeLock(), () -> {
            AttributeSet query = getKey(path);
            Collection<AttributeSet> candidates = candidates(query);
            if (candidates == null) {
                return super.handleDelete(path);
            }
            List<Map.Entry<AttributeSet, String>> matched = candidates.stream().filter(key -> key.matches(query))
                    .map(key -> Map.entry(key, map.get(key))).toList();
            matched.forEach(entry -> delete(path, query, entry.getKey()));
            List<String> items = matched.stream().map(Map.Entry::getValue).toList();
            if (query.containsKey(NAME)) {
                return items.isEmpty() ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(items.get(0));
            }
            return list(items);
        });
    }

    /** fabric8's own (private) processDelete. */
    private void delete(String path, AttributeSet query, AttributeSet key) {
        GenericKubernetesResource resource = Serialization.unmarshal(map.get(key), GenericKubernetesResource.class);
        if (resource.getFinalizers().isEmpty()) {
            processEvent(path, query, key, null, null);
        } else if (!resource.isMarkedForDeletion()) {
            resource.getMetadata().setDeletionTimestamp(ZonedDateTime.now(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            processEvent(path, query, key, resource, Serialization.asJson(resource));
        }
    }

    /**
     * Stores a changed state of the object at the path as it is, with a new resourceVersion: for a deletion in
     * progress ({@link Deletions}), which fabric8's handlers would take for a delete. Null when there is no object.
     */
    String replace(String path, java.util.function.UnaryOperator<GenericKubernetesResource> change) {
        return under(lock.writeLock(), () -> {
            AttributeSet query = getKey(path);
            Map.Entry<AttributeSet, String> current = findResource(query);
            if (current == null) {
                return null;
            }
            GenericKubernetesResource changed = change.apply(Serialization.unmarshal(current.getValue(),
                    GenericKubernetesResource.class));
            changed.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            String json = Serialization.asJson(changed);
            processEvent(path, query, current.getKey(), changed, json);
            return json;
        });
    }

    private MockResponse list(List<String> items) {
        return new MockResponse().setResponseCode(200).setBody(((KubernetesResponseComposer) responseComposer)
                .compose(items, String.valueOf(resourceVersion.get())));
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        Collection<AttributeSet> candidates = candidates(attributes);
        if (candidates == null) {
            return super.findResource(attributes);
        }
        return candidates.stream().filter(key -> key.matches(attributes)).findFirst()
                .map(key -> Map.entry(key, map.get(key))).orElse(null);
    }

    /**
     * Passes the state parsed, as fabric8 would parse it, to learn the key fabric8 stores it under, and sends the
     * change to the store's watches.
     */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        boolean jobCreated = oldAttributes == null && newState != null && JobCreates.isJob(resource, newState);
        GenericKubernetesResource parsed = resource != null || newState == null || newState.isEmpty() ? resource
                : Serialization.unmarshal(newState, GenericKubernetesResource.class);
        if (parsed != null && newState != null && StoredMetadata.normalize(parsed, oldAttributes == null)) {
            newState = Serialization.asJson(parsed);
        }
        if (jobCreated) {
            // the Job strategy's PrepareForCreate: the generated selector needs the uid the object has just been given
            newState = JobCreates.withSelector(newState);
            parsed = Serialization.unmarshal(newState, GenericKubernetesResource.class);
        }
        AttributeSet newKey = newState == null ? null : key(pathAttributes, parsed);
        String existing = oldAttributes == null ? null : map.get(oldAttributes);
        file(oldAttributes, false);
        try {
            super.processEvent(path, pathAttributes, oldAttributes, parsed, newState);
        } finally {
            // fabric8 has changed its map before it can fail (on a CRD it cannot read): the watches hear of it anyway
            boolean stored = newKey != null && map.containsKey(newKey);
            if (stored) {
                file(newKey, true);
            }
            if (!Objects.equals(existing, newState) && (stored || newState == null)) {
                String before = existing;
                long version;
                if (newState == null) {
                    // a deletion is a change of its own, with a resourceVersion of its own, which its event carries
                    version = requestResourceVersion();
                    before = existing == null ? null : withResourceVersion(existing, version);
                } else {
                    version = parsed.getMetadata() == null || parsed.getMetadata().getResourceVersion() == null
                            ? resourceVersion.get() : Long.parseLong(parsed.getMetadata().getResourceVersion());
                    rememberKind(newKey, parsed);
                }
                history.record(new WatchHistory.Change(version, oldAttributes, before, newKey, newState));
                sendToWatches(oldAttributes, before, newKey, newState);
            }
        }
    }

    /**
     * As fabric8 sends a change: MODIFIED to a watch that matched the object before and after, else ADDED or DELETED.
     */
    private void sendToWatches(AttributeSet oldKey, String existing, AttributeSet newKey, String newState) {
        Map<StoreWatch.Type, String> events = new EnumMap<>(StoreWatch.Type.class);
        for (StoreWatch watch : watches) {
            boolean before = oldKey != null && watch.matches(oldKey);
            boolean after = newKey != null && watch.matches(newKey);
            StoreWatch.Type type = before && after ? StoreWatch.Type.MODIFIED
                    : before ? StoreWatch.Type.DELETED : after ? StoreWatch.Type.ADDED : null;
            if (type != null) {
                watch.send(events.computeIfAbsent(type,
                        t -> StoreWatch.event(t, t == StoreWatch.Type.DELETED ? existing : newState)));
            }
        }
    }

    /** A watch of what the path names; the dispatcher has taken its selectors off the path and filters for them. */
    @Override
    public MockResponse handleWatch(String path) {
        return new MockResponse().withWebSocketUpgrade(new StoreWatch(getKey(path), StoreWatch.since(path),
                path.contains("allowWatchBookmarks=true"), this::open, watches::remove));
    }

    /**
     * Starts the watch and registers it, with no write between: it misses no change and sees none twice. Without a
     * resourceVersion (or with 0) it starts with the objects it matches, as ADDED; from a resourceVersion, with every
     * change after it (ADDED, MODIFIED, DELETED), or with 410 Gone when those are no longer kept.
     */
    private void open(StoreWatch watch) {
        under(lock.readLock(), () -> {
            if (watch.since() > 0) {
                Optional<List<WatchHistory.Change>> changes = history.after(watch.since());
                if (changes.isEmpty()) {
                    watch.expire(watch.since(), history.oldest());
                    return null;
                }
                changes.get().forEach(change -> replay(watch, change));
            } else {
                Collection<AttributeSet> keys = candidates(watch.query());
                for (AttributeSet key : keys != null ? keys : List.copyOf(map.keySet())) {
                    if (watch.matches(key)) {
                        watch.send(StoreWatch.event(StoreWatch.Type.ADDED, map.get(key)));
                    }
                }
            }
            watches.add(watch);
            bookmark(watch);
            return null;
        });
    }

    private static void replay(StoreWatch watch, WatchHistory.Change change) {
        boolean before = change.oldKey() != null && watch.matches(change.oldKey());
        boolean after = change.newKey() != null && change.newState() != null && watch.matches(change.newKey());
        if (before && after) {
            watch.send(StoreWatch.event(StoreWatch.Type.MODIFIED, change.newState()));
        } else if (before) {
            watch.send(StoreWatch.event(StoreWatch.Type.DELETED, change.oldState()));
        } else if (after) {
            watch.send(StoreWatch.event(StoreWatch.Type.ADDED, change.newState()));
        }
    }

    private void bookmarkAll() {
        try {
            under(lock.readLock(), () -> {
                watches.forEach(this::bookmark);
                return null;
            });
        } catch (RuntimeException e) {
            // a bookmark is a courtesy: the next one comes
        }
    }

    /** A BOOKMARK of the current resourceVersion, to a watch that allows them, once the kind it watches is known. */
    private void bookmark(StoreWatch watch) {
        String plural = queried(watch.query(), PLURAL);
        String[] kind = plural == null ? null : kinds.get(plural);
        if (watch.bookmarks() && kind != null) {
            watch.send(StoreWatch.bookmark(kind[0], kind[1], resourceVersion.get()));
        }
    }

    private void rememberKind(AttributeSet key, GenericKubernetesResource resource) {
        String plural = key == null ? null : queried(key, PLURAL);
        if (plural != null && resource != null && resource.getKind() != null && !kinds.containsKey(plural)) {
            kinds.put(plural, new String[] {resource.getApiVersion(), resource.getKind()});
        }
    }

    private static String withResourceVersion(String state, long version) {
        GenericKubernetesResource resource = Serialization.unmarshal(state, GenericKubernetesResource.class);
        if (resource.getMetadata() == null) {
            return state;
        }
        resource.getMetadata().setResourceVersion(String.valueOf(version));
        return Serialization.asJson(resource);
    }

    private AttributeSet key(AttributeSet pathAttributes, GenericKubernetesResource resource) {
        AttributeSet key = resource == null ? new AttributeSet()
                : ((KubernetesAttributesExtractor) attributeExtractor).extract(resource);
        return key.containsKey(PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
    }

    /** fabric8's, for kinds that have no generation too ({@link StoredMetadata}). */
    @Override
    public void preserveMetadata(JsonNode currentResource, JsonNode updatedResource) {
        JsonNode generation = currentResource.path("metadata").get("generation");
        if (generation != null) {
            super.preserveMetadata(currentResource, updatedResource);
            return;
        }
        ((ObjectNode) currentResource.get("metadata")).put("generation", 0);
        try {
            super.preserveMetadata(currentResource, updatedResource);
        } finally {
            ((ObjectNode) currentResource.get("metadata")).remove("generation");
        }
        ((ObjectNode) updatedResource.get("metadata")).remove("generation");
    }

    @Override
    public void touchGeneration(JsonNode currentResource, JsonNode updatedResource) {
        if (currentResource.path("metadata").has("generation")) {
            super.touchGeneration(currentResource, updatedResource);
        }
    }

    @Override
    public long requestResourceVersion() {
        long version = super.requestResourceVersion();
        resourceVersion.accumulateAndGet(version, Math::max);
        return version;
    }

    @Override
    public void reset() {
        under(lock.writeLock(), () -> {
            super.reset();
            buckets.clear();
            history.clear();
            unfiledKeys = false;
            return null;
        });
    }

    /** The stored keys that can match the query, in the map's order; null when the index cannot tell. */
    private Collection<AttributeSet> candidates(AttributeSet query) {
        String plural = queried(query, PLURAL);
        if (plural == null || unfiledKeys) {
            return null;
        }
        String name = queried(query, NAME);
        Bucket bucket = name != null ? new Bucket(plural, null, name)
                : new Bucket(plural, queried(query, NAMESPACE), null);
        return buckets.getOrDefault(bucket, Set.of());
    }

    private static String queried(AttributeSet query, String key) {
        Attribute attribute = query.getAttribute(key);
        return attribute != null && attribute.getType() == AttributeType.WITH ? value(attribute) : null;
    }

    private void file(AttributeSet key, boolean add) {
        for (Bucket bucket : bucketsOf(key)) {
            if (add) {
                buckets.computeIfAbsent(bucket, b -> new LinkedHashSet<>()).add(key);
            } else {
                Set<AttributeSet> keys = buckets.get(bucket);
                if (keys != null && keys.remove(key) && keys.isEmpty()) {
                    buckets.remove(bucket);
                }
            }
        }
    }

    private List<Bucket> bucketsOf(AttributeSet key) {
        if (key == null || !key.containsKey(PLURAL)) {
            return List.of();
        }
        if (Stream.of(PLURAL, NAMESPACE, NAME)
                .anyMatch(attribute -> key.containsKey(attribute) && value(key.getAttribute(attribute)) == null)) {
            unfiledKeys = true;
            return List.of();
        }
        String plural = value(key.getAttribute(PLURAL));
        List<Bucket> of = new ArrayList<>(List.of(new Bucket(plural, null, null)));
        if (key.containsKey(NAMESPACE)) {
            of.add(new Bucket(plural, value(key.getAttribute(NAMESPACE)), null));
        }
        if (key.containsKey(NAME)) {
            of.add(new Bucket(plural, null, value(key.getAttribute(NAME))));
        }
        return of;
    }

    private static String namespaceAndName(AttributeSet key) {
        Attribute namespace = key.getAttribute(NAMESPACE);
        Attribute name = key.getAttribute(NAME);
        return (namespace == null ? "" : value(namespace)) + "/" + (name == null ? "" : value(name));
    }

    /** An attribute's one value, or null when it has several or is the wildcard. */
    private static String value(Attribute attribute) {
        if (attribute.getValues().size() != 1) {
            return null;
        }
        String value = attribute.getValues().get(0).toString();
        return WILDCARD.equals(value) ? null : value;
    }

    private static <T> T under(Lock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
