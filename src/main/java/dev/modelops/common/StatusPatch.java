package dev.modelops.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

import java.net.HttpURLConnection;

/**
 * A JSON merge patch of a resource's status that also clears what the new status no longer has (a merge patch
 * keeps every field it does not name as null), sent with the resourceVersion that the status was computed from, so
 * that the API server refuses it (409) when the resource has changed meanwhile.
 */
public final class StatusPatch {

    private StatusPatch() {
    }

    public static <S, R extends CustomResource<?, S>> R write(KubernetesClient client, R resource, S oldStatus) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        JsonNode written = resource.getStatus() == null ? null
                : json.convertValue(resource.getStatus(), JsonNode.class);
        ObjectNode status = written instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        JsonNode old = oldStatus == null ? null : json.convertValue(oldStatus, JsonNode.class);
        if (old != null && old.isObject()) {
            old.fieldNames().forEachRemaining(field -> {
                if (!status.has(field)) {
                    status.putNull(field);
                }
            });
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("metadata").put("resourceVersion", resource.getMetadata().getResourceVersion());
        patch.set("status", status);
        return client.resource(addressOf(resource)).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                patch.toString());
    }

    /**
     * The resource with only its name and namespace: fabric8 copies the object that it patches, through JSON, before
     * sending a patch that says everything else; a whole ModelJob with its timeline made that copy a good part of a
     * status write's CPU.
     */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> R addressOf(R resource) {
        try {
            R address = (R) resource.getClass().getDeclaredConstructor().newInstance();
            address.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace()).build());
            return address;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(resource.getClass() + " has no public constructor without arguments", e);
        }
    }

    /**
     * A controller's status write: the patch above, sent only if the resource is still the one the status was
     * computed from, and cached so that the next reconcile starts from it (a status computed from a stale resource
     * would repeat timeline entries and Events). On a conflict the 409 itself is thrown: JOSDK logs it as a conflict,
     * in one line, and reconciles again from the newer resource (with no retry of its own here,
     * PrimaryUpdateAndCacheUtils would log the whole resource as a warning and throw the conflict wrapped, which JOSDK
     * logs as an uncaught error with its stack trace).
     */
    public static <S, R extends CustomResource<?, S>> R writeAndCache(R resource, S status, Context<R> context) {
        S old = resource.getStatus();
        try {
            return PrimaryUpdateAndCacheUtils.updateAndCacheResource(resource, context, current -> {
                current.setStatus(status);
                return current;
            }, current -> writeOrStale(context.getClient(), current, old), 0,
                    PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
                    PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
        } catch (Stale stale) {
            throw stale.conflict;
        }
    }

    private static <S, R extends CustomResource<?, S>> R writeOrStale(KubernetesClient client, R resource,
            S oldStatus) {
        try {
            return write(client, resource, oldStatus);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new Stale(e);
            }
            throw e;
        }
    }

    /** A 409 carried past PrimaryUpdateAndCacheUtils, which catches only KubernetesClientExceptions. */
    private static final class Stale extends RuntimeException {
        private final transient KubernetesClientException conflict;

        Stale(KubernetesClientException conflict) {
            super(conflict.getMessage(), null, false, false);
            this.conflict = conflict;
        }
    }
}
