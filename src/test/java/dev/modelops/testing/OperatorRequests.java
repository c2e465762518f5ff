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

    /**
     * Set once the file is started in this JVM: a system property, because Quarkus loads this class again for each
     * application it starts, so a static field would start the file afresh each time.
     */
    private static final String STARTED = "modelops.operator-requests.started";

    private OperatorRequests() {
    }

    /**
     * Adds the requests of the operator's clients (user agent {@code modelops-operator/...}) to the file. Tests run
     * one after the other, so the calls do not overlap.
     */
    public static void keep(EmbeddedApiServer server) {
        TreeSet<String> pairs = new TreeSet<>(server.requests().snapshot(OperatorUserAgent.PRODUCT).counts().keySet());
        try {
            Files.createDirectories(FILE.getParent());
            if (System.getProperty(STARTED) != null && Files.exists(FILE)) {
                pairs.addAll(Files.readAllLines(FILE));
            }
            System.setProperty(STARTED, "true");
            Files.write(FILE, pairs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
