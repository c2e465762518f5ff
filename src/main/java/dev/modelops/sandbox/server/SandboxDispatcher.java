package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes the requests that the CRUD store cannot answer (discovery, pod logs, version) and hands the rest to it.
 */
final class SandboxDispatcher extends Dispatcher implements LogFollow.Source {

    private static final Pattern POD_LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log(?:\\?(.*))?$");
    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0-modelops-sandbox","platform":"linux/amd64"}""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)$");
    private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+/[^/]+)$");

    private final KubernetesCrudDispatcher crud;
    private final ApiDiscovery discovery;
    private final TableView tables;
    private final OpenApiDocuments openApi;
    private volatile PodLogSource podLogs = PodLogSource.NONE;

    SandboxDispatcher(KubernetesCrudDispatcher crud) {
        this.crud = crud;
        this.discovery = new ApiDiscovery(this::storedCrds);
        this.tables = new TableView(this::storedCrds, Instant::now);
        this.openApi = new OpenApiDocuments(discovery, this::storedCrds);
    }

    void podLogs(PodLogSource source) {
        this.podLogs = source;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if ("GET".equals(request.getMethod())) {
            String route = withoutQuery(path);
            if (route.equals("/version")) {
                return json(200, VERSION);
            }
            if (route.equals("/openapi/v3")) {
                return json(200, openApi.index());
            }
            if (route.startsWith("/openapi/v3/")) {
                return openApi.document(route.substring("/openapi/v3/".length())).map(doc -> json(200, doc))
                        .orElseGet(() -> notFound("the server could not find the requested resource"));
            }
            if (route.equals("/openapi/v2")) {
                return notFound("the sandbox serves OpenAPI v3 only");
            }
            MockResponse discovered = discovery(route);
            if (discovered != null) {
                return discovered;
            }
            Matcher log = POD_LOG.matcher(path);
            if (log.matches()) {
                return podLog(log.group(1), log.group(2), query(log.group(3)));
            }
            return read(request, route);
        }
        if (PatchTranslation.isTranslated(request)) {
            return translatedPatch(request, withoutQuery(path));
        }
        return crud.dispatch(isWrite(request) ? withoutQuery(request) : request);
    }

    @Override
    public Optional<String> logs(String namespace, String pod, String container) {
        return podLogs.logs(namespace, pod, container);
    }

    @Override
    public boolean ended(String namespace, String pod) {
        MockResponse response = crud.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + pod);
        if (response.code() != 200) {
            return true;
        }
        try {
            String phase = JSON.readTree(response.getBody().readUtf8()).path("status").path("phase").asText();
            return phase.equals("Succeeded") || phase.equals("Failed");
        } catch (IOException e) {
            return true;
        }
    }

    /** The discovery document at the route, or null when the route is not a discovery route. */
    private MockResponse discovery(String route) {
        if (route.equals("/api")) {
            return json(200, Serialization.asJson(discovery.coreVersions()));
        }
        if (route.equals("/apis")) {
            return json(200, Serialization.asJson(discovery.groups()));
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
        return document.map(d -> json(200, Serialization.asJson(d))).orElseGet(() -> notFound(
                "the server could not find the requested resource (get " + route + ")"));
    }

    private List<CustomResourceDefinition> storedCrds() {
        MockResponse list = crud.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        if (list.code() != 200) {
            return List.of();
        }
        return Serialization.unmarshal(list.getBody().readUtf8(), CustomResourceDefinitionList.class).getItems();
    }

    /** A get, list or watch, with the selectors and the resourceVersion that the store ignores applied here. */
    private MockResponse read(RecordedRequest request, String route) {
        SelectorFilter selectors;
        try {
            selectors = SelectorFilter.of(request.getPath());
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        String storePath = selectors == null ? request.getPath() : SelectorFilter.withoutSelectors(request.getPath());
        MockResponse response = crud.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), storePath,
                request.getHeaders(), request.getBody()));
        if (response.getWebSocketListener() != null) {
            UnaryOperator<JsonNode> asTableRow = wantsTable(request) ? tables.rowView(route) : null;
            return response.withWebSocketUpgrade(FilteredWatch.of(response.getWebSocketListener(), request.getPath(),
                    selectors, asTableRow));
        }
        if (response.code() != 200 || (selectors == null && !wantsTable(request))) {
            return response;
        }
        String body = response.getBody().readUtf8();
        if (selectors != null) {
            body = filtered(body, selectors);
        }
        if (wantsTable(request)) {
            body = tables.render(route, body).orElse(body);
        }
        return json(200, body);
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

    private MockResponse translatedPatch(RecordedRequest request, String route) {
        try {
            if (request.getHeader("Content-Type").startsWith(PatchTranslation.STRATEGIC)) {
                return crud.dispatch(PatchTranslation.strategicAsMerge(request, route));
            }
            String applied = PatchTranslation.applied(request).toString();
            if (crud.handleGet(route).code() == 404) {
                return crud.dispatch(PatchTranslation.create(request, route.substring(0, route.lastIndexOf('/')), applied));
            }
            return crud.dispatch(PatchTranslation.merge(request, route, applied));
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
    }

    private static boolean isWrite(RecordedRequest request) {
        return !"GET".equals(request.getMethod()) && request.getPath().contains("?");
    }

    /** The store does not understand write options (fieldManager ...) and misreads a path that carries them. */
    private static RecordedRequest withoutQuery(RecordedRequest request) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), withoutQuery(request.getPath()),
                request.getHeaders(), request.getBody());
    }

    private static boolean wantsTable(RecordedRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("as=Table");
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private MockResponse podLog(String namespace, String pod, Map<String, String> query) {
        return podLogs.logs(namespace, pod, query.get("container"))
                .map(text -> new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "text/plain; charset=utf-8")
                        .setBody(tail(text, query.get("tailLines"))))
                .orElseGet(() -> notFound("pods \"" + pod + "\" not found"));
    }

    private static String tail(String text, String tailLines) {
        if (tailLines == null) {
            return text;
        }
        int lines = Integer.parseInt(tailLines);
        int at = text.length();
        if (text.endsWith("\n")) {
            at--;
        }
        for (int seen = 0; at > 0; at--) {
            if (text.charAt(at - 1) == '\n' && ++seen == lines) {
                break;
            }
        }
        return text.substring(Math.max(at, 0));
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static MockResponse notFound(String message) {
        return status(404, "NotFound", message);
    }

    private static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code)
                .withMessage(message).build();
        return json(code, Serialization.asJson(status));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
