package dev.modelops.common;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What the API server said when it refused a request, in its own words where it gave them: its Status's message, never
 * the client's whole exception text, which prints the Status object.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    /** Worth another try: the API was unavailable or overloaded, not a refusal that would be repeated. */
    public static boolean transientError(KubernetesClientException e) {
        return e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
    }
}
