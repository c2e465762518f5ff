package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import dev.modelops.sandbox.admission.BuiltInDefaults;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers what the CRUD store cannot (version, discovery, OpenAPI, pod logs, tables, selectors, strategic and
 * apply patches) and hands the rest to it.
 */
final class SandboxDispatcher extends Dispatcher {

    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0-modelops-sandbox","platform":"linux/amd64"}""";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)$");
    private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+/[^/]+)$");

    private final KubernetesCrudDispatcher store;
    private final ApiDiscovery discovery;
    private final TableView tables;
    private final OpenApiDocuments openApi;
    private final PodLogEndpoint podLogs;
    private final AdmissionControl admission;
    private final Deletions deletions;
    private final FieldLabels fieldLabels = new FieldLabels(this::storedCrds);
    private final ApiRequests requests = new ApiRequests();
    // Requests are served on several threads; a write reads the current object, admits and stores the result, and
    // no other write may come between.
    private final ReadWriteLock consistency = new ReentrantReadWriteLock();

    SandboxDispatcher(KubernetesCrudDispatcher store, CustomResourceValidator validator) {
        this.store = store;
        this.discovery = new ApiDiscovery(this::storedCrds);
        this.tables = new TableView(this::storedCrds, Instant::now);
        this.openApi = new OpenApiDocuments(discovery, this::storedCrds);
        this.podLogs = new PodLogEndpoint(store);
        this.admission = new AdmissionControl(validator);
        this.deletions = store instanceof IndexedCrudStore indexed ? new Deletions(indexed, store::dispatch) : null;
    }

    /** How deletes cascade and pods end gracefully; null when the store cannot keep a deletion in progress. */
    Deletions deletions() {
        return deletions;
    }

    PodLogEndpoint podLogs() {
        return podLogs;
    }

    ApiRequests requests() {
        return requests;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.record(request.getHeader("User-Agent"), request.getMethod(), request.getPath());
        Lock lock = "GET".equals(request.getMethod()) ? consistency.readLock() : consistency.writeLock();
        MockResponse response;
        lock.lock();
        try {
            response = route(request);
        } finally {
            lock.unlock();
        }
        // Without a content type, kubectl takes a body for protobuf, which it asks for first for built-in kinds.
        if (response != null && response.getWebSocketListener() == null && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getPath();
        String route = withoutQuery(path);
        if ("GET".equals(request.getMethod())) {
            MockResponse served = serverDocument(route);
            if (served == null) {
                served = podLogs.get(path);
            }
            return served != null ? served : read(request, route);
        }
        if ("PATCH".equals(request.getMethod())) {
            return patch(request, route);
        }
        if ("POST".equals(request.getMethod()) || ("PUT".equals(request.getMethod()) && !route.endsWith("/status"))) {
            return write(request, route);
        }
        if ("DELETE".equals(request.getMethod()) && deletions != null && Deletions.single(route)) {
            return deletions.delete(request, at(request, route), route);
        }
        // The store does not understand write options (fieldManager ...) and misreads a path that carries them.
        return store.dispatch(path.equals(route) ? request : at(request, route));
    }

    /** Version, discovery and OpenAPI documents, or null when the route is none of them. */
    private MockResponse serverDocument(String route) {
        if (route.equals("/version")) {
            return Responses.json(200, VERSION);
        }
        if (route.equals("/openapi/v3")) {
            return Responses.json(200, openApi.index());
        }
        if (route.startsWith("/openapi/v3/")) {
            return openApi.document(route.substring("/openapi/v3/".length())).map(doc -> Responses.json(200, doc))
                    .orElseGet(() -> Responses.notFound("the server could not find the requested resource"));
        }
        if (route.equals("/openapi/v2")) {
            return Responses.notFound("the sandbox serves OpenAPI v3 only");
        }
        if (route.equals("/api")) {
            return Responses.json(discovery.coreVersions());
        }
        if (route.equals("/apis")) {
            return Responses.json(discovery.groups());
        }
        if (route.equals("/api/v1")) {
            return found(discovery.resources("v1"), route);
        }
        Matcher group = GROUP.matcher(route);
        if (group.matches()) {
            return found(discovery.group(group.group(1)), route);
        }
        Matcher groupVersion = GROUP_VERSION.matcher(route);
        if (groupVersion.matches()) {
            return found(discovery.resources(groupVersion.group(1)), route);
        }
        return null;
    }

    private static MockResponse found(Optional<?> document, String route) {
        return document.map(Responses::json).orElseGet(() -> Responses.notFound(
                "the server could not find the requested resource (get " + route + ")"));
    }

    private List<CustomResourceDefinition> storedCrds() {
        MockResponse list = store.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        if (list.code() != 200) {
            return List.of();
        }
        return Serialization.unmarshal(list.getBody().readUtf8(), CustomResourceDefinitionList.class).getItems();
    }

    /** A get, list or watch, with the selectors and the resourceVersion that the store ignores applied here. */
    private MockResponse read(RecordedRequest request, String route) {
        SelectorFilter selectors;
        try {
            selectors = SelectorFilter.of(request.getPath(), request.getPath().contains("fieldSelector=")
                    ? fieldLabels.of(route).orElse(null) : null);
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        String storePath = selectors == null ? request.getPath() : SelectorFilter.withoutSelectors(request.getPath());
        MockResponse response = store.dispatch(at(request, storePath));
        boolean table = wantsTable(request);
        if (response.getWebSocketListener() != null) {
            UnaryOperator<JsonNode> asTableRow = table ? tables.rowView(route) : null;
            return response.withWebSocketUpgrade(FilteredWatch.of(response.getWebSocketListener(), request.getPath(),
                    selectors, asTableRow));
        }
        if (response.code() != 200 || (selectors == null && !table)) {
            return response;
        }
        String body = response.getBody().readUtf8();
        if (selectors != null) {
            body = filtered(body, selectors);
        }
        if (table) {
            body = tables.render(route, body).orElse(body);
        }
        return Responses.json(200, body);
    }

    private static String filtered(String listBody, SelectorFilter selectors) {
        try {
            ObjectNode list = (ObjectNode) JSON.readTree(listBody);
            if (list.has("items")) {
                ArrayNode kept = JSON.createArrayNode();
                list.get("items").forEach(item -> {
                    if (selectors.test(item)) {
                        kept.add(item);
                    }
                });
                list.set("items", kept);
            }
            return list.toString();
        } catch (IOException e) {
            return listBody;
        }
    }

    /** A create or replace, admitted first when admission governs it (custom resources; Jobs on create). */
    private MockResponse write(RecordedRequest request, String route) {
        String body = request.getUtf8Body();
        JsonNode object;
        try {
            object = JSON.readTree(body);
        } catch (IOException e) {
            return Responses.badRequest("the body is not valid JSON: " + e.getMessage());
        }
        boolean create = "POST".equals(request.getMethod());
        if (create) {
            BuiltInDefaults.onCreate(object);
            body = object.toString();
        }
        if (!(create ? admission.governsCreate(object) : admission.governsUpdate(object))) {
            return storedAsCreated(store.dispatch(PatchTranslation.withBody(request, route, body)), route);
        }
        AdmissionControl.Decision decision;
        if (create) {
            decision = admission.create(object);
        } else {
            MockResponse current = store.handleGet(route);
            if (current.code() != 200) {
                return current;
            }
            decision = admission.update(object, read(current));
        }
        return decision.refused() ? decision.refusal()
                : storedAsCreated(store.dispatch(PatchTranslation.withBody(request, route, decision.admitted())), route);
    }

    /** A created Job as stored, with what the store added from its uid (the store answers with what it was sent). */
    private MockResponse storedAsCreated(MockResponse response, String route) {
        if (response.code() != 201 || !route.startsWith("/apis/batch/v1/") || !route.endsWith("/jobs")) {
            return response;
        }
        String name = read(response).path("metadata").path("name").asText();
        MockResponse stored = store.handleGet(route + "/" + name);
        return stored.code() == 200 ? Responses.json(201, stored.getBody().readUtf8()) : response;
    }

    /**
     * Every patch type, applied here (RFC 6902, RFC 7386, strategic and apply as merge) to the current object,
     * admitted, and handed to the store as the JSON patch from the current object to the admitted one.
     */
    private MockResponse patch(RecordedRequest request, String route) {
        JsonNode patch;
        try {
            patch = PatchTranslation.document(request);
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        boolean status = route.endsWith("/status");
        String objectPath = status ? route.substring(0, route.length() - "/status".length()) : route;
        MockResponse current = store.handleGet(objectPath);
        if (current.code() == 404 && PatchTranslation.isApply(request)) {
            AdmissionControl.Decision decision = admission.governsCreate(patch) ? admission.create(patch)
                    : new AdmissionControl.Decision(patch, null);
            return decision.refused() ? decision.refusal() : store.dispatch(PatchTranslation.create(request,
                    objectPath.substring(0, objectPath.lastIndexOf('/')), decision.admitted()));
        }
        if (current.code() != 200) {
            return current;
        }
        JsonNode before = read(current);
        JsonNode after;
        try {
            after = PatchTranslation.isJsonPatch(request) ? JsonPatch.apply(patch, before) : MergePatch.apply(before, patch);
        } catch (RuntimeException e) {
            return Responses.status(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
        }
        if (!status && admission.governsUpdate(after)) {
            AdmissionControl.Decision decision = admission.update(after, before);
            if (decision.refused()) {
                return decision.refusal();
            }
            after = decision.admitted();
        }
        JsonNode operations = JsonDiff.asJson(before, after);
        if (operations.isEmpty()) {
            return Responses.json(200, before.toString());
        }
        return store.dispatch(PatchTranslation.jsonPatch(request, route, operations));
    }

    private static JsonNode read(MockResponse response) {
        try {
            return JSON.readTree(response.getBody().readUtf8());
        } catch (IOException e) {
            throw new IllegalStateException("the store answered with invalid JSON", e);
        }
    }

    private static RecordedRequest at(RecordedRequest request, String path) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                request.getBody());
    }

    private static boolean wantsTable(RecordedRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("as=Table");
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
