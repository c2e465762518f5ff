package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.testing.Kubectl;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;


/** One embedded API server per test class, reached through fabric8, raw HTTP and (where on the PATH) kubectl. */
abstract class ConformanceBase {

    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedApiServer server;
    static KubernetesClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @BeforeAll
    static void start() {
        server = CLUSTER.server();
        client = CLUSTER.client();
    }

    /** kubectl against the server; the test is skipped when kubectl is not on the PATH. */
    static Kubectl kubectl() {
        return CLUSTER.kubectl(home);
    }

    static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    /** One answer of the server: its status code, headers and body. */
    record Answer(int code, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        List<String> warnings() {
            return response.headers().allValues("Warning");
        }
    }

    static Answer get(String path) {
        return send("GET", path, null, null);
    }

    static Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Single quotes to double ones, for JSON in Java strings. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static String configMap(String name, String labels) {
        return json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "','labels':{" + labels
                + "}},'data':{'k':'v'}}");
    }

    static String job(String name) {
        return json("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'" + name + "'},'spec':{'completions':1,"
                + "'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'main','image':'trainer:1'}]}}}}");
    }

    static String modelJob(String name) {
        return json("{'apiVersion':'modelops.dev/v1alpha1','kind':'ModelJob','metadata':{'name':'" + name + "'},"
                + "'spec':{'type':'Evaluate','modelVersion':'churn-v3'}}");
    }
}
