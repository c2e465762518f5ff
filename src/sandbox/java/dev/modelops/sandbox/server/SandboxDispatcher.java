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
 * Routes a request as the API server does: its own endpoints (version, health, discovery, OpenAPI), pod logs, then
 * the resources it serves (anything else is a 404 Status); reads go to the store with the selectors, tables and
 * list kinds that it lacks applied here, writes to {@link ObjectWrites}. events.k8s.io/v1 Events are the core ones.
 */
final class SandboxDispatcher extends Dispatcher {

    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0-modelops-sandbox","platform":"linux/amd64"}""";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEALTH = Pattern.compile("^/(healthz|readyz|livez)(/[^/]+)?$");
    private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)$");
    private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+/[^/]+)$");

    private final KubernetesCrudDispatcher store;
    private final ApiDiscovery discovery;
    private final TableView tables;
    private final OpenApiDocuments openApi;
    private final PodLogEndpoint podLogs;
    private final ObjectWrites writes;
    private volatile ParsedCrds parsedCrds = new ParsedCrds("", List.of());
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
        this.deletions = store instanceof IndexedCrudStore indexed ? new Deletions(indexed, store::dispatch) : null;
        this.writes = new ObjectWrites(store, discovery, new AdmissionControl(validator), deletions);
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
        String method = request.getMethod();
        if ("GET".equals(method)) {
            MockResponse served = serverDocument(route);
            if (served == null) {
                served = podLogs.get(path);
            }
            if (served != null) {
                return served;
            }
        }
        Optional<ResourcePath> resource = ResourcePath.of(route).filter(this::serves);
        if (resource.isEmpty()) {
            return Responses.notFound("the server could not find the requested resource");
        }
        ResourcePath target = resource.get();
        if (EventVersions.isEventsApi(target)) {
            return eventsApi(request, route, target);
        }
        return serve(request, route, target);
    }

    private MockResponse serve(RecordedRequest request, String route, ResourcePath target) {
        String method = request.getMethod();
        switch (method) {
            case "GET":
                return read(request, route, target, null);
            case "DELETE":
                return writes.delete(request, target);
            case "PATCH":
                return writes.patch(request, target);
            default:
                break;
        }
        JsonNode body;
        try {
            body = RequestBodies.read(request);
        } catch (RequestBodies.UnreadableBody e) {
            return e.response();
        }
        if ("POST".equals(method) && AccessReviews.serves(target)) {
            return AccessReviews.answer(body);
        }
        if ("POST".equals(method)) {
            return writes.create(request, target, body);
        }
        if ("PUT".equals(method)) {
            return writes.replace(request, target, body);
        }
        return Responses.status(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                + "resource");
    }

    /**
     * events.k8s.io/v1 Events are the core Events seen in that version ({@code pkg/apis/events/v1}): reads and
     * creates and deletes go to the core Events, converted each way. Updates and patches in this version are refused.
     */
    private MockResponse eventsApi(RecordedRequest request, String route, ResourcePath target) {
        ResourcePath core = EventVersions.core(target);
        String corePath = core.isCollection() ? core.collectionPath() : core.objectPath();
        String query = request.getPath().substring(route.length());
        switch (request.getMethod()) {
            case "GET":
                return read(ObjectWrites.at(request, corePath + query), corePath, target,
                        wantsTable(request) ? null : EventVersions::toEventsApi);
            case "DELETE":
                return EventVersions.converted(writes.delete(ObjectWrites.at(request, corePath + query), core));
            case "POST":
                JsonNode body;
                try {
                    body = RequestBodies.read(request);
                } catch (RequestBodies.UnreadableBody e) {
                    return e.response();
                }
                return EventVersions.converted(writes.create(PatchTranslation.withBody(request, corePath + query,
                        EventVersions.toCore(body)), core, EventVersions.toCore(body)));
            default:
                return Responses.status(405, "MethodNotAllowed", "the sandbox serves events.k8s.io/v1 Events for "
                        + "reading, creating and deleting; update them as core v1 Events");
        }
    }

    /** Whether the path names a resource this server serves, and a subresource of it that it serves. */
    private boolean serves(ResourcePath path) {
        if (path.subresource() != null && !path.isStatus()) {
            return false;
        }
        String name = path.isStatus() ? path.plural() + "/status" : path.plural();
        return discovery.resources(path.groupVersion()).map(list -> list.getResources().stream()
                .anyMatch(r -> r.getName().equals(name))).orElse(false);
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
            return Responses.notFound("the sandbox serves OpenAPI v3 only (/openapi/v3)");
        }
        if (HEALTH.matcher(route).matches()) {
            return Responses.text("ok");
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

    /**
     * The stored CRDs, parsed again only when they changed: every request asks whether its path is served, and
     * parsing the CRDs' schemas each time would cost more than the request.
     */
    private List<CustomResourceDefinition> storedCrds() {
        MockResponse list = store.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        if (list.code() != 200) {
            return List.of();
        }
        String body = list.getBody().readUtf8();
        // the list's own resourceVersion (the store's latest) follows its items and changes with every write
        int metadata = body.lastIndexOf("\"metadata\"");
        String items = metadata < 0 ? body : body.substring(0, metadata);
        ParsedCrds cached = parsedCrds;
        if (!items.equals(cached.items())) {
            cached = new ParsedCrds(items, Serialization.unmarshal(body, CustomResourceDefinitionList.class).getItems());
            parsedCrds = cached;
        }
        return cached.crds();
    }

    private record ParsedCrds(String items, List<CustomResourceDefinition> crds) {
    }

    /** A get, list or watch, with the selectors and the resourceVersion that the store ignores applied here. */
    private MockResponse read(RecordedRequest request, String route, ResourcePath target, UnaryOperator<JsonNode> view) {
        SelectorFilter selectors;
        try {
            selectors = SelectorFilter.of(request.getPath(), request.getPath().contains("fieldSelector=")
                    ? fieldLabels.of(route).orElse(null) : null);
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        String storePath = selectors == null ? request.getPath() : SelectorFilter.withoutSelectors(request.getPath());
        MockResponse response = store.dispatch(ObjectWrites.at(request, storePath));
        String includeObject = wantsTable(request)
                ? ObjectWrites.query(request.getPath(), "includeObject").orElse("Metadata") : null;
        if (response.getWebSocketListener() != null) {
            UnaryOperator<JsonNode> objectView = includeObject != null ? tables.rowView(route, includeObject) : view;
            return response.withWebSocketUpgrade(FilteredWatch.of(response.getWebSocketListener(), request.getPath(),
                    selectors, objectView));
        }
        if (response.code() == 404) {
            return Responses.notFound(target, target.name());
        }
        if (response.code() != 200 || (selectors == null && includeObject == null && view == null
                && !target.isCollection())) {
            return response;
        }
        String body = response.getBody().readUtf8();
        if (selectors != null) {
            body = filtered(body, selectors);
        }
        if (includeObject != null) {
            return Responses.json(200, tables.render(route, body, includeObject).orElse(body));
        }
        if (view != null) {
            body = viewed(body, view);
        }
        return Responses.json(200, target.isCollection() ? discovery.typedList(body, target) : body);
    }

    private static String viewed(String body, UnaryOperator<JsonNode> view) {
        try {
            JsonNode document = JSON.readTree(body);
            if (document.has("items")) {
                ArrayNode items = (ArrayNode) document.get("items");
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, view.apply(items.get(i)));
                }
                return document.toString();
            }
            return view.apply(document).toString();
        } catch (IOException e) {
            return body;
        }
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

    private static boolean wantsTable(RecordedRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("as=Table");
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
