package dev.modelops.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Creates an object under a deterministic name, once: an object of that name that exists already (made by an
 * earlier reconcile that a lagging cache does not show yet, or before a restart) is left as it is.
 */
public final class Creates {

    private Creates() {
    }

    /** The created object; empty when one of its name existed (409). Other errors are thrown. */
    public static <T extends HasMetadata> Optional<T> ifAbsent(KubernetesClient client, T object) {
        try {
            return Optional.of(client.resource(object).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
