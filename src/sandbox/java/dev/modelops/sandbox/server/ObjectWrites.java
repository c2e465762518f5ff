package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.sandbox.admission.BuiltInDefaults;
import dev.modelops.sandbox.admission.UnknownFields;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Creates, replaces, patches and deletes as the API server's generic registry does them
 * ({@code staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go}), over fabric8's CRUD store: the
 * checks and the answers' shapes are here, the storing is the store's. The dispatcher holds its write lock around
 * each call, so that the object read here is still the stored one when the store writes.
 */
final class ObjectWrites {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACES = "/api/v1/namespaces";

    private final KubernetesCrudDispatcher store;
    private final ApiDiscovery discovery;
    private final AdmissionControl admission;
    private final Deletions deletions;

    /** @param deletions how a delete cascades and a pod ends gracefully; null to delete at once */
    ObjectWrites(KubernetesCrudDispatcher store, ApiDiscovery discovery, AdmissionControl admission,
            Deletions deletions) {
        this.store = store;
        this.discovery = discovery;
        this.admission = admission;
        this.deletions = deletions;
    }

    /**
     * A create as {@code staging/src/k8s.io/apiserver/pkg/registry/rest/create.go} BeforeCreate and the generic
     * registry do it: the namespace must exist, a generated name is the prefix and five random characters, the status
     * of a kind with a status subresource is dropped, unknown fields are refused under {@code fieldValidation=Strict},
     * the object is admitted, and a dry run stores nothing.
     */
    MockResponse create(RecordedRequest request, ResourcePath target, JsonNode sent) {
        if (!target.isCollection() || !sent.isObject()) {
            return Responses.status(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        if (target.namespace() != null && store.handleGet(NAMESPACES + "/" + target.namespace()).code() != 200) {
            return Responses.notFound(ResourcePath.of(NAMESPACES).orElseThrow(), target.namespace());
        }
        ObjectNode object = (ObjectNode) sent;
        ObjectNode metadata = object.with("metadata");
        String generateName = metadata.path("generateName").asText("");
        if (metadata.path("name").asText("").isEmpty() && !generateName.isEmpty()) {
            String name;
            do {
                name = StoredMetadata.generateName(generateName);
            } while (store.handleGet(target.named(name).objectPath()).code() == 200);
            metadata.put("name", name);
        }
        if (hasStatusSubresource(target)) {
            object.remove("status");
        }
        BuiltInDefaults.onCreate(object);
        WriteOutcome outcome = admit(request, target, object, null);
        if (outcome.refusal() != null) {
            return outcome.refusal();
        }
        String name = outcome.object().path("metadata").path("name").asText("");
        if (!name.isEmpty() && store.handleGet(target.named(name).objectPath()).code() == 200) {
            return Responses.alreadyExists(target, name);
        }
        if (isDryRun(request)) {
            ObjectNode wouldBe = ((ObjectNode) outcome.object()).deepCopy();
            ObjectNode wouldBeMetadata = wouldBe.with("metadata");
            if (target.namespace() != null) {
                wouldBeMetadata.put("namespace", target.namespace());
            }
            wouldBeMetadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            wouldBeMetadata.put("generation", 1);
            StoredMetadata.normalize(wouldBe, true);
            return outcome.warned(Responses.json(201, wouldBe.toString()));
        }
        MockResponse stored = store.dispatch(PatchTranslation.create(request, target.collectionPath(),
                outcome.object()));
        if (stored.code() == 201) {
            // fabric8 answers with what it was given; the stored object has the uid and metadata the store wrote
            MockResponse current = store.handleGet(target.named(name).objectPath());
            if (current.code() == 200) {
                return outcome.warned(Responses.json(201, current.getBody().readUtf8()));
            }
        }
        return outcome.warned(shaped(stored, target, name, true));
    }

    /**
     * A replace ({@code staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go} Update): a stale
     * {@code metadata.resourceVersion} is a 409 Conflict, of the status subresource too; the object is admitted
     * (not its status) and a dry run stores nothing.
     */
    MockResponse replace(RecordedRequest request, ResourcePath target, JsonNode sent) {
        if (target.isCollection() || !sent.isObject()) {
            return Responses.status(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        MockResponse current = store.handleGet(target.objectPath());
        if (current.code() != 200) {
            return Responses.notFound(target, target.name());
        }
        JsonNode before = read(current);
        String sentVersion = sent.path("metadata").path("resourceVersion").asText("");
        if (!sentVersion.isEmpty() && !sentVersion.equals(before.path("metadata").path("resourceVersion").asText())) {
            return Responses.modified(target, target.name());
        }
        JsonNode object = sent;
        WriteOutcome outcome = new WriteOutcome(object, null, List.of());
        if (!target.isStatus()) {
            outcome = admit(request, target, (ObjectNode) sent, before);
            if (outcome.refusal() != null) {
                return outcome.refusal();
            }
            object = outcome.object();
        }
        if (isDryRun(request)) {
            return outcome.warned(Responses.json(200, wouldStore(before, object, target).toString()));
        }
        String path = target.isStatus() ? target.objectPath() + "/status" : target.objectPath();
        return outcome.warned(shaped(store.dispatch(PatchTranslation.withBody(request, path, object)), target,
                target.name(), false));
    }

    /** What a write of the object over {@code before} stores, as fabric8's store and the API server compute it. */
    private JsonNode wouldStore(JsonNode before, JsonNode object, ResourcePath target) {
        ObjectNode result;
        if (target.isStatus()) {
            result = ((ObjectNode) before).deepCopy();
            copyStatus(object, result);
        } else {
            result = ((ObjectNode) object).deepCopy();
            if (hasStatusSubresource(target)) {
                copyStatus(before, result);
            }
        }
        ObjectNode metadata = result.with("metadata");
        JsonNode old = before.path("metadata");
        for (String field : List.of("namespace", "uid", "creationTimestamp", "resourceVersion", "generation")) {
            if (old.has(field)) {
                metadata.set(field, old.get(field));
            } else {
                metadata.remove(field);
            }
        }
        if (!target.isStatus() && old.has("generation") && specChanged(before, result)) {
            metadata.put("generation", old.path("generation").asLong() + 1);
        }
        return result;
    }

    private static void copyStatus(JsonNode from, ObjectNode to) {
        if (from.has("status")) {
            to.set("status", from.get("status").deepCopy());
        } else {
            to.remove("status");
        }
    }

    private static boolean specChanged(JsonNode before, JsonNode after) {
        for (JsonNode operation : JsonDiff.asJson(before, after)) {
            String path = operation.path("path").asText();
            if (!path.startsWith("/metadata") && !path.startsWith("/status")) {
                return true;
            }
        }
        return false;
    }

    /** The object admitted (unknown fields first, then the kind's validation), or the refusal. */
    private WriteOutcome admit(RecordedRequest request, ResourcePath target, ObjectNode object, JsonNode before) {
        String validation = query(request.getPath(), "fieldValidation").orElse("Warn");
        List<String> unknown = admission.unknownFields(object, null);
        if (!unknown.isEmpty() && validation.equals("Strict")) {
            return WriteOutcome.refused(strictDecodingError(object, unknown));
        }
        UnknownFields.remove(object, unknown);
        JsonNode admitted = object;
        boolean create = before == null;
        if (create ? admission.governsCreate(object) : admission.governsUpdate(object)) {
            AdmissionControl.Decision decision = create ? admission.create(object) : admission.update(object, before);
            if (decision.refused()) {
                return WriteOutcome.refused(decision.refusal());
            }
            admitted = decision.admitted();
            List<String> pruned = admission.unknownFields(object, admitted);
            if (!pruned.isEmpty() && validation.equals("Strict")) {
                return WriteOutcome.refused(strictDecodingError(object, pruned));
            }
            if (unknown.isEmpty()) {
                unknown = pruned;
            }
        }
        return new WriteOutcome(admitted, null, validation.equals("Warn") ? unknown : List.of());
    }

    /** {@code strict decoding error: unknown field "spec.foo"}, as the API server's 400 words it. */
    private static MockResponse strictDecodingError(JsonNode object, List<String> unknown) {
        String fields = unknown.stream().map(field -> "unknown field \"" + field + "\"")
                .collect(Collectors.joining(", "));
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String prefix = UnknownFields.modelOf(apiVersion, kind).isPresent()
                ? kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": " : "";
        return Responses.badRequest(prefix + "strict decoding error: " + fields);
    }

    /** An admitted object or a refusal, and the unknown fields dropped from it to warn of. */
    private record WriteOutcome(JsonNode object, MockResponse refusal, List<String> dropped) {
        static WriteOutcome refused(MockResponse refusal) {
            return new WriteOutcome(null, refusal, List.of());
        }

        /** The response with a {@code Warning} header per dropped unknown field, as {@code fieldValidation=Warn}. */
        MockResponse warned(MockResponse response) {
            dropped.forEach(field -> response.addHeader("Warning", "299 - \"unknown field \\\"" + field + "\\\"\""));
            return response;
        }
    }

    /**
     * Every patch type, applied here (RFC 6902, RFC 7386, strategic and apply as merge) to the current object,
     * admitted, and handed to the store as the JSON patch from the current object to the admitted one. A strategic
     * merge patch of a custom resource is refused, as the API server refuses it (415).
     */
    MockResponse patch(RecordedRequest request, ResourcePath target) {
        if (target.isCollection()) {
            return Responses.status(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        if (PatchTranslation.isStrategic(request) && discovery.isCustomResource(target)) {
            return Responses.unsupportedMediaType("the body of the request was in an unknown format - accepted media "
                    + "types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml");
        }
        JsonNode patch;
        try {
            patch = PatchTranslation.document(request);
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        MockResponse current = store.handleGet(target.objectPath());
        if (current.code() == 404 && PatchTranslation.isApply(request) && !target.isStatus() && patch.isObject()) {
            ResourcePath collection = new ResourcePath(target.group(), target.version(), target.namespace(),
                    target.plural(), null, null);
            return create(request, collection, patch);
        }
        if (current.code() != 200) {
            return Responses.notFound(target, target.name());
        }
        JsonNode before = read(current);
        JsonNode after;
        try {
            after = PatchTranslation.isJsonPatch(request) ? JsonPatch.apply(patch, before) : MergePatch.apply(before, patch);
        } catch (RuntimeException e) {
            return Responses.status(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
        }
        String version = after.path("metadata").path("resourceVersion").asText("");
        if (!version.equals(before.path("metadata").path("resourceVersion").asText(""))) {
            return Responses.modified(target, target.name());
        }
        WriteOutcome outcome = new WriteOutcome(after, null, List.of());
        if (!target.isStatus() && after.isObject()) {
            outcome = admit(request, target, (ObjectNode) after, before);
            if (outcome.refusal() != null) {
                return outcome.refusal();
            }
            after = outcome.object();
        }
        if (isDryRun(request)) {
            return outcome.warned(Responses.json(200, wouldStore(before, after, target).toString()));
        }
        JsonNode operations = JsonDiff.asJson(before, after);
        if (operations.isEmpty()) {
            return outcome.warned(Responses.json(200, before.toString()));
        }
        String path = target.isStatus() ? target.objectPath() + "/status" : target.objectPath();
        return outcome.warned(shaped(store.dispatch(PatchTranslation.jsonPatch(request, path, operations)), target,
                target.name(), false));
    }

    /**
     * A delete: of one object with its {@code preconditions} (uid, resourceVersion) honoured, or of the collection's
     * objects that match the label and field selectors ({@code DeleteCollection}); a dry run deletes nothing and
     * answers what would be deleted.
     */
    MockResponse delete(RecordedRequest request, ResourcePath target) {
        JsonNode options = deleteOptions(request);
        boolean dryRun = isDryRun(request) || StreamSupport.stream(options.path("dryRun").spliterator(), false)
                .anyMatch(value -> "All".equals(value.asText()));
        if (target.isCollection()) {
            return deleteCollection(request, target, dryRun);
        }
        MockResponse current = store.handleGet(target.objectPath());
        if (current.code() != 200) {
            return Responses.notFound(target, target.name());
        }
        JsonNode before = read(current);
        JsonNode preconditions = options.path("preconditions");
        for (String field : List.of("uid", "resourceVersion")) {
            String expected = preconditions.path(field).asText("");
            String actual = before.path("metadata").path(field).asText("");
            if (!expected.isEmpty() && !expected.equals(actual)) {
                String label = field.equals("uid") ? "UID" : "ResourceVersion";
                return Responses.conflict(target, target.name(), "Precondition failed: " + label + " in precondition: "
                        + expected + ", " + label + " in object meta: " + actual);
            }
        }
        if (dryRun) {
            ObjectNode wouldBe = ((ObjectNode) before).deepCopy();
            if (wouldBe.path("metadata").path("finalizers").size() > 0
                    && !wouldBe.path("metadata").has("deletionTimestamp")) {
                wouldBe.with("metadata").put("deletionTimestamp",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            return Responses.json(200, wouldBe.toString());
        }
        RecordedRequest forStore = at(request, target.objectPath());
        // the body (DeleteOptions) has been read: the cascade reads it again from this copy
        MockResponse deleted = deletions != null ? deletions.delete(PatchTranslation.withBody(request,
                request.getPath(), options.toString()), forStore, target.objectPath()) : store.dispatch(forStore);
        return shaped(deleted, target, target.name(), false);
    }

    private MockResponse deleteCollection(RecordedRequest request, ResourcePath target, boolean dryRun) {
        SelectorFilter selectors;
        try {
            selectors = SelectorFilter.of(request.getPath());
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        MockResponse listed = store.handleGet(target.collectionPath());
        if (listed.code() != 200) {
            return listed;
        }
        ObjectNode list = (ObjectNode) read(listed);
        ArrayNode deleted = JSON.createArrayNode();
        for (JsonNode item : list.path("items")) {
            if (selectors != null && !selectors.test(item)) {
                continue;
            }
            ResourcePath itemPath = new ResourcePath(target.group(), target.version(),
                    item.path("metadata").path("namespace").asText(target.namespace()), target.plural(),
                    item.path("metadata").path("name").asText(), null);
            if (!dryRun) {
                store.handleDelete(itemPath.objectPath());
            }
            deleted.add(item);
        }
        list.set("items", deleted);
        return Responses.json(200, discovery.typedList(list.toString(), target));
    }

    private static JsonNode deleteOptions(RecordedRequest request) {
        String body = request.getUtf8Body();
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The store's answer in the API server's shape: a Status for its bare 404 and 409, 200 for its 202. */
    private static MockResponse shaped(MockResponse response, ResourcePath target, String name, boolean create) {
        boolean empty = response.getBody() == null || response.getBody().size() == 0;
        if (response.code() == 404 && empty) {
            return Responses.notFound(target, name);
        }
        if (response.code() == 409) {
            return create ? Responses.alreadyExists(target, name) : Responses.modified(target, name);
        }
        if (response.code() == 202) {
            response.setResponseCode(200);
        }
        return response;
    }

    private boolean hasStatusSubresource(ResourcePath target) {
        String status = target.plural() + "/status";
        return discovery.resources(target.groupVersion()).map(list -> list.getResources().stream()
                .anyMatch(r -> r.getName().equals(status))).orElse(false);
    }

    private static boolean isDryRun(RecordedRequest request) {
        return query(request.getPath(), "dryRun").filter("All"::equals).isPresent();
    }

    /** A query parameter's (first) value. */
    static Optional<String> query(String path, String name) {
        int start = path.indexOf('?');
        if (start < 0) {
            return Optional.empty();
        }
        for (String parameter : path.substring(start + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            if (key.equals(name)) {
                return Optional.of(equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    static JsonNode read(MockResponse response) {
        try {
            return JSON.readTree(response.getBody().readUtf8());
        } catch (IOException e) {
            throw new IllegalStateException("the store answered with invalid JSON", e);
        }
    }

    static RecordedRequest at(RecordedRequest request, String path) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                request.getBody());
    }
}
