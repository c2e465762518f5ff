package dev.modelops.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubeconfig that points kubectl at the sandbox's API server. */
final class KubeconfigFile {

    private KubeconfigFile() {
    }

    /** Writes the kubeconfig atomically (kubectl never sees half a file) and returns its absolute path. */
    static Path write(Path file, String serverUrl) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: modelops-sandbox
                    cluster:
                      server: %s
                users:
                  - name: sandbox-user
                    user:
                      token: sandbox
                contexts:
                  - name: modelops-sandbox
                    context:
                      cluster: modelops-sandbox
                      user: sandbox-user
                      namespace: default
                current-context: modelops-sandbox
                """.formatted(serverUrl);
        try {
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.writeString(partial, yaml);
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox kubeconfig " + file, e);
        }
    }
}
