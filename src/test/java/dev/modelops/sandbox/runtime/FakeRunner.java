package dev.modelops.sandbox.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the runner, run as a real process by the tests: it follows the runner's contract (its command as
 * args[0], its result written to {@code MODELOPS_TERMINATION_LOG}, its log on stdout and stderr, exit 0 on success,
 * a prompt non-zero exit on SIGTERM, {@code serve} listening on {@code MODELOPS_PORT}) and does what its
 * {@code FAKE_*} variables say.
 */
public final class FakeRunner {

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "none" : args[0];
        System.out.println("command " + command);
        for (String name : env("FAKE_PRINT_ENV", "").split(",")) {
            if (!name.isBlank()) {
                System.out.println(name + "=" + System.getenv(name));
            }
        }
        if (!env("FAKE_STDERR", "").isEmpty()) {
            System.err.println(env("FAKE_STDERR", ""));
        }
        for (String line : env("FAKE_LOG", "").split("\\|")) {
            if (!line.isEmpty()) {
                System.out.println(line);
            }
        }
        if ("true".equals(System.getenv("FAKE_IGNORE_SIGTERM"))) {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.out.println("ignoring SIGTERM"));
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("got SIGTERM");
                terminationMessage("stopped by SIGTERM");
            }));
        }
        if (command.equals("serve")) {
            serve(Integer.parseInt(System.getenv("MODELOPS_PORT")));
        } else if ("true".equals(System.getenv("FAKE_HOLD")) || "true".equals(System.getenv("FAKE_IGNORE_SIGTERM"))) {
            System.out.println("holding");
            Thread.sleep(Long.MAX_VALUE);
        }
        terminationMessage(env("FAKE_MESSAGE", ""));
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(Integer.parseInt(env("FAKE_EXIT", "0")));
    }

    private static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("serving on " + port);
            while (true) {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    if (socket.getInputStream().read(new byte[4096]) < 0) {
                        continue; // a readiness probe: connected and closed
                    }
                    byte[] body = "{\"served\":\"fake\"}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } catch (IOException e) {
                    System.err.println("connection: " + e.getMessage());
                }
            }
        }
    }

    private static void terminationMessage(String message) {
        String file = System.getenv("MODELOPS_TERMINATION_LOG");
        if (file != null && !message.isEmpty()) {
            try {
                Files.writeString(Path.of(file), message);
            } catch (IOException e) {
                System.err.println("cannot write the termination message: " + e.getMessage());
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
