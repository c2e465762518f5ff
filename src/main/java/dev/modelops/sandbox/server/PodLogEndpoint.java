package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET .../pods/<name>/log}: the kubelet's logs, whole or their last lines; and what {@link LogFollow} reads. */
final class PodLogEndpoint implements LogFollow.Source {

    private static final Pattern POD_LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log(?:\\?(.*))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesCrudDispatcher store;
    private volatile PodLogSource kubelet = PodLogSource.NONE;

    PodLogEndpoint(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    void kubelet(PodLogSource source) {
        this.kubelet = source;
    }

    /** The log response, or null when the path is not a pod log. */
    MockResponse get(String path) {
        Matcher log = POD_LOG.matcher(path);
        if (!log.matches()) {
            return null;
        }
        String pod = log.group(2);
        Map<String, String> query = query(log.group(3));
        return kubelet.logs(log.group(1), pod, query.get("container"))
                .map(text -> Responses.text(tail(text, query.get("tailLines"))))
                .orElseGet(() -> Responses.notFound("pods \"" + pod + "\" not found"));
    }

    @Override
    public Optional<String> logs(String namespace, String pod, String container) {
        return kubelet.logs(namespace, pod, container);
    }

    @Override
    public boolean ended(String namespace, String pod) {
        MockResponse response = store.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + pod);
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

    private static String tail(String text, String tailLines) {
        if (tailLines == null) {
            return text;
        }
        int lines = Integer.parseInt(tailLines);
        int at = text.endsWith("\n") ? text.length() - 1 : text.length();
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
}
