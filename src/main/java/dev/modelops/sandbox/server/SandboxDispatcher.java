package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes the requests that the CRUD store cannot answer (pod logs, version) and hands the rest to it.
 */
final class SandboxDispatcher extends Dispatcher {

    private static final Pattern POD_LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log(?:\\?(.*))?$");
    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0-modelops-sandbox","platform":"linux/amd64"}""";

    private final KubernetesCrudDispatcher crud;
    private volatile PodLogSource podLogs = PodLogSource.NONE;

    SandboxDispatcher(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    void podLogs(PodLogSource source) {
        this.podLogs = source;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if ("GET".equals(request.getMethod())) {
            if (path.equals("/version") || path.startsWith("/version?")) {
                return json(200, VERSION);
            }
            Matcher log = POD_LOG.matcher(path);
            if (log.matches()) {
                return podLog(log.group(1), log.group(2), query(log.group(3)));
            }
        }
        return crud.dispatch(request);
    }

    private MockResponse podLog(String namespace, String pod, Map<String, String> query) {
        return podLogs.logs(namespace, pod, query.get("container"))
                .map(text -> new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "text/plain; charset=utf-8")
                        .setBody(tail(text, query.get("tailLines"))))
                .orElseGet(() -> json(404, """
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,\
                        "message":"pods \\"%s\\" not found"}""".formatted(pod)));
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

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
