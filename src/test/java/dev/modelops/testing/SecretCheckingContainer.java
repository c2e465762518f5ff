package dev.modelops.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A container for {@link ProcessClusterTest}s that uses a secret as an application would: it checks that
 * {@code DB_PASSWORD} (from a Secret) has the digest {@code DB_PASSWORD_SHA256} says, prints that it did, never the
 * value, and reports {@code secretMatches} (1 or 0) in its result, so that a test can tell the value reached it. A
 * Deploy serves on {@code MODELOPS_PORT} until it is stopped; {@code FAIL=1} makes it fail after its log lines.
 */
public final class SecretCheckingContainer {

    private SecretCheckingContainer() {
    }

    public static void main(String[] args) throws Exception {
        String password = System.getenv().getOrDefault("DB_PASSWORD", "");
        int matches = sha256(password).equals(System.getenv("DB_PASSWORD_SHA256")) ? 1 : 0;
        String type = System.getenv("MODELOPS_JOB_TYPE");
        System.out.println(type + " of " + System.getenv("MODELOPS_MODEL_VERSION") + ": the database password "
                + (matches == 1 ? "matches its digest" : "does not match its digest") + " ("
                + password.length() + " characters)");
        if ("1".equals(System.getenv("FAIL"))) {
            System.out.println("connecting to the database failed on purpose");
            System.exit(1);
        }
        if ("Deploy".equals(type)) {
            serve(Integer.parseInt(System.getenv("MODELOPS_PORT")));
            return;
        }
        String metrics = "\"secretMatches\":" + matches + ("Evaluate".equals(type) ? ",\"auc\":0.9" : "");
        String result = switch (type) {
            case "Train" -> "{\"artifactUri\":\"file:///models/" + System.getenv("MODELOPS_MODEL_VERSION")
                    + "/model.onnx\",\"metrics\":{" + metrics + "}}";
            case "BatchPrediction" -> "{\"outputUri\":\"" + System.getenv("MODELOPS_OUTPUT_URI") + "\",\"metrics\":{"
                    + metrics + "}}";
            default -> "{\"metrics\":{" + metrics + "}}";
        };
        Files.writeString(Path.of(System.getenv("MODELOPS_TERMINATION_LOG")), result);
    }

    /** Accepts connections (the readiness probe's) until the process is stopped. */
    private static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("serving on port " + port);
            while (true) {
                try (Socket ignored = server.accept()) {
                    // the probe only connects
                }
            }
        }
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
