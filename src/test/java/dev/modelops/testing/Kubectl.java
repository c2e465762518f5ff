package dev.modelops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real kubectl binary, pointed at a server through a kubeconfig of its own. */
public final class Kubectl {

    private final Path home;

    public Kubectl(Path home, String serverUrl) {
        this.home = home;
        try {
            Files.writeString(home.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: sandbox, cluster: {server: "%s"}}]
                    users: [{name: sandbox, user: {token: sandbox}}]
                    contexts: [{name: sandbox, context: {cluster: sandbox, user: sandbox, namespace: default}}]
                    current-context: sandbox
                    """.formatted(serverUrl));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean onPath() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs kubectl, asserts it succeeded, and returns what it printed. */
    public String run(String... args) throws IOException, InterruptedException {
        return finish(args, 0);
    }

    /** Runs kubectl, asserts it failed, and returns what it printed. */
    public String fail(String... args) throws IOException, InterruptedException {
        return finish(args, 1);
    }

    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", home.resolve("kubeconfig").toString(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private String finish(String[] args, int exitCode) throws IOException, InterruptedException {
        Process process = start(args);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kubectl did not finish: " + List.of(args));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(exitCode, process.exitValue(), "kubectl " + String.join(" ", args) + "\n" + out);
        return out;
    }
}
