package dev.modelops.testing;

import dev.modelops.common.OperatorUserAgent;
import dev.modelops.sandbox.server.EmbeddedApiServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * Keeps what the operator's client asked of each embedded API server the tests started: every
 * {@code verb resource} pair (as the audit log names it), in {@code target/rbac/operator-requests.txt}. The test run
 * starts the file afresh; {@code ChartRbacIT} then checks the chart's RBAC against it.
 */
public final class OperatorRequests {

    public static final Path FILE = Path.of("target", "rbac", "operator-requests.txt");

    private static boolean started;

    private OperatorRequests() {
    }

    /** Adds the requests of the operator's clients (user agent {@code modelops-operator/...}) to the file. */
    public static synchronized void keep(EmbeddedApiServer server) {
        TreeSet<String> pairs = new TreeSet<>(server.requests().snapshot(OperatorUserAgent.PRODUCT).counts().keySet());
        try {
            Files.createDirectories(FILE.getParent());
            if (started && Files.exists(FILE)) {
                pairs.addAll(Files.readAllLines(FILE));
            }
            started = true;
            Files.write(FILE, pairs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
