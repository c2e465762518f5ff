package dev.modelops.modeljob;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What the API server said when it refused a request, in its own words where it gave them. */
final class ApiErrors {

    private ApiErrors() {
    }

    static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    /** Worth another try: the API was unavailable or overloaded, not a refusal that would be repeated. */
    static boolean transientError(KubernetesClientException e) {
        return e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
    }
}
