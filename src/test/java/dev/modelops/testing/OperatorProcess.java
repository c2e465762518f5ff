package dev.modelops.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator ({@code target/quarkus-app}) in a process of its own, connected to an embedded API server, so
 * that its heap and RSS are its own and it can be killed as a container is. The benchmark and the chaos suite size
 * its JVM as in the Helm chart's container ({@link ContainerJvm}), which is also what makes it pick its collector.
 */
public final class OperatorProcess implements AutoCloseable {

    /** The exit status of a process ended by SIGKILL: 128 + 9. */
    public static final int KILLED = 137;

    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)$", Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;
    private final long startedNanos;

    private OperatorProcess(Process process, int httpPort, long startedNanos) {
        this.process = process;
        this.httpPort = httpPort;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the operator with these JVM options, connected to the API server at {@code apiServerUrl} with leader
     * election off (one replica), and these further settings; its output goes to {@code log}.
     */
    public static OperatorProcess start(Path jar, List<String> jvmOptions, String apiServerUrl,
            Map<String, String> settings, Path log) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.kubernetes-client.namespace", "default");
        // One replica: no Lease renewals among the requests counted, and a restarted operator need not wait for one.
        properties.put("modelops.leader-election.enabled", "false");
        properties.putAll(settings);
        return launch(jar, jvmOptions, apiServerUrl, properties, Map.of(), log);
    }

    /**
     * Starts the operator as one replica of a Deployment: configured only by {@code environment}, the variables its
     * container gets (the chart's, with the pod's fields resolved), and the API server's address.
     */
    public static OperatorProcess startReplica(Path jar, List<String> jvmOptions, String apiServerUrl,
            Map<String, String> environment, Path log) throws IOException {
        return launch(jar, jvmOptions, apiServerUrl, Map.of(), environment, log);
    }

    private static OperatorProcess launch(Path jar, List<String> jvmOptions, String apiServerUrl,
            Map<String, String> settings, Map<String, String> environment, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.kubernetes-client.api-server-url", apiServerUrl);
        properties.put("quarkus.kubernetes-client.trust-certs", "true");
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.putAll(settings);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        return new OperatorProcess(builder.start(), port, started);
    }

    /** Waits until {@code /q/health/ready} answers 200 and gives the time since the process was started. */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue()
                        + " before it was ready; see its log");
            }
            if (readyAnswer() == 200) {
                return Duration.ofNanos(System.nanoTime() - startedNanos);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the operator was not ready within " + timeout);
    }

    /** Heap in use after a full collection, in MiB, as the operator's own metrics report it. */
    public double heapAfterGcMiB() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed");
        }
        Matcher used = HEAP_USED.matcher(get("/q/metrics").body());
        double bytes = 0;
        while (used.find()) {
            bytes += Double.parseDouble(used.group(1));
        }
        return bytes / (1024 * 1024);
    }

    /** CPU time the process has used so far, all its threads together. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not tell a process's CPU time"));
    }

    /** Resident set size of the process, in MiB (Linux). */
    public OptionalLong rssMiB() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return OptionalLong.empty();
        }
        Matcher rss = RSS.matcher(Files.readString(status));
        return rss.find() ? OptionalLong.of(Long.parseLong(rss.group(1)) / 1024) : OptionalLong.empty();
    }

    /** The status code of the readiness probe, or -1 while the HTTP server does not listen yet. */
    private int readyAnswer() throws InterruptedException {
        try {
            return get("/q/health/ready").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Kills the process with SIGKILL, as the kernel's OOM killer or a node failure would: no shutdown hook runs, no
     * request in flight is finished. Fails unless the process ended by that signal.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        int exit = process.waitFor();
        if (exit != KILLED) {
            throw new IllegalStateException("the operator (pid " + process.pid() + ") ended with " + exit
                    + ", not by SIGKILL (" + KILLED + ")");
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
