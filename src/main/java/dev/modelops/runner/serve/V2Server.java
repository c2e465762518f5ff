package dev.modelops.runner.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modelops.runner.Log;
import dev.modelops.runner.Runner;
import dev.modelops.runner.RunFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Open Inference Protocol (v2) over HTTP/JSON, as KServe, Triton and MLServer speak it, for one model, on the
 * JDK's HTTP server: health ({@code /v2/health/live}, {@code /v2/health/ready}), server and model metadata, model
 * readiness and {@code POST /v2/models/<name>[/versions/<v>]/infer}. A refused request gets 400 (404 for an unknown
 * model or path) and {@code {"error": "<one line>"}}. Requests are counted and timed in {@link ServeStats}; their
 * contents are never logged.
 */
final class V2Server implements AutoCloseable {

    static final String SERVER_NAME = "modelops-runner";
    /** Largest request body read (a request of about a million numbers). */
    static final int MAX_BODY_BYTES = 64 << 20;

    /** How long a stop waits for the requests in flight. */
    static final long DRAIN_MILLIS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MODEL_PATH = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");

    private final ServedModel model;
    private final ServeStats stats;
    private final Log log;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    private V2Server(ServedModel model, ServeStats stats, Log log, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.stats = stats;
        this.log = log;
        this.server = server;
        this.executor = executor;
    }

    /** Listens on all interfaces at {@code port} (0: any free port) with a few handler threads. */
    static V2Server start(ServedModel model, int port, ServeStats stats, Log log) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new RunFailure("cannot listen on port " + port + ": " + e.getMessage() + " (MODELOPS_PORT)", e);
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "serve-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        V2Server v2 = new V2Server(model, stats, log, server, executor);
        server.createContext("/", v2::handle);
        server.setExecutor(executor);
        server.start();
        return v2;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops gracefully: readiness turns 503 and new requests are refused with 503 at once, requests in flight finish
     * (for up to {@link #DRAIN_MILLIS}), then the port closes.
     */
    @Override
    public void close() {
        stopping = true;
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            if (stopping) {
                send(exchange, 503, error("the server is stopping"));
                return;
            }
            route(exchange);
        } catch (BadRequest e) {
            send(exchange, e.status(), error(e.getMessage()));
        } catch (RuntimeException | Error e) {
            log.error("serve: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " failed: "
                    + Runner.describe(e));
            send(exchange, 500, error(Runner.describe(e)));
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/v2/health/live", "/v2/health/live/" -> {
                expect(method, "GET");
                send(exchange, 200, JSON.createObjectNode().put("live", true));
                return;
            }
            case "/v2/health/ready", "/v2/health/ready/" -> {
                expect(method, "GET");
                send(exchange, 200, JSON.createObjectNode().put("ready", true));
                return;
            }
            case "/v2", "/v2/" -> {
                expect(method, "GET");
                ObjectNode metadata = JSON.createObjectNode().put("name", SERVER_NAME).put("version", version());
                metadata.putArray("extensions");
                send(exchange, 200, metadata);
                return;
            }
            default -> {
                // the model's endpoints, below
            }
        }
        Matcher m = MODEL_PATH.matcher(path);
        if (!m.matches()) {
            throw new BadRequest(404, "no endpoint " + path + " (Open Inference Protocol v2: /v2/models/"
                    + model.name() + "/infer)");
        }
        if (!m.group(1).equals(model.name())) {
            throw new BadRequest(404, "unknown model " + m.group(1) + ": this server serves " + model.name());
        }
        if (m.group(2) != null && !m.group(2).equals(model.version())) {
            throw new BadRequest(404, "unknown version " + m.group(2) + " of model " + model.name()
                    + ": this server serves version " + model.version());
        }
        String action = Optional.ofNullable(m.group(3)).orElse("");
        switch (action) {
            case "/ready" -> {
                expect(method, "GET");
                send(exchange, 200, JSON.createObjectNode().put("name", model.name()).put("ready", true));
            }
            case "/infer" -> {
                expect(method, "POST");
                infer(exchange);
            }
            default -> {
                expect(method, "GET");
                send(exchange, 200, model.metadata());
            }
        }
    }

    private void infer(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            JsonNode request;
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw new BadRequest(413, "the request is larger than " + (MAX_BODY_BYTES >> 20) + " MiB");
                }
                request = JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw BadRequest.of("the request is not JSON: " + e.getOriginalMessage());
            }
            if (request == null || request.isMissingNode()) {
                throw BadRequest.of("the request is empty: expected {\"inputs\": [...]}");
            }
            ObjectNode response;
            try {
                response = model.infer(request);
            } catch (ai.onnxruntime.OrtException e) {
                throw BadRequest.of("the model refused the inputs: " + e.getMessage());
            } catch (RunFailure e) {
                throw BadRequest.of(e.getMessage());
            }
            send(exchange, 200, response);
            ok = true;
        } finally {
            stats.record(System.nanoTime() - start, ok);
        }
    }

    private static void expect(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new BadRequest(405, method + " is not allowed here; use " + allowed);
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", RunFailure.oneLine(message));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String version() {
        return Optional.ofNullable(V2Server.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
