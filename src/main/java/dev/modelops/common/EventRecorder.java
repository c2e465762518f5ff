package dev.modelops.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Records Kubernetes Events about the operator's objects. The same reason and message about the same object make
 * one Event whose count grows, not a flood; a failure to write an Event (403, API down) is logged and never fails
 * the caller, because Events are a view, not the record (the record is in status).
 */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    /** Kubernetes' limit for an Event's name (DNS subdomain). */
    private static final int MAX_NAME = 253;

    private final KubernetesClient client;
    private final String component;

    public EventRecorder(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
    }

    public void record(HasMetadata about, EventReason reason, String message, Instant now) {
        String namespace = about.getMetadata().getNamespace();
        String name = eventName(about, reason, message);
        String at = Conditions.timestamp(now);
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(namespace)
                    .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
                    .endInvolvedObject()
                    .withType(reason.type().name()).withReason(reason.name()).withMessage(message)
                    .withCount(1).withFirstTimestamp(at).withLastTimestamp(at)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                repeat(namespace, name, at);
            } else {
                LOG.warnf("Event %s about %s %s/%s not recorded: HTTP %d: %s", reason.name(), about.getKind(), namespace,
                        about.getMetadata().getName(), e.getCode(), ApiErrors.message(e));
            }
        }
    }

    /** The Event was recorded before: count it once more. */
    private void repeat(String namespace, String name, String at) {
        try {
            Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
            int count = existing == null || existing.getCount() == null ? 1 : existing.getCount();
            client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"count\":" + (count + 1) + ",\"lastTimestamp\":\"" + at + "\"}");
        } catch (KubernetesClientException e) {
            LOG.warnf("Event %s/%s not updated: HTTP %d: %s", namespace, name, e.getCode(), ApiErrors.message(e));
        }
    }

    /** Deterministic: the same object, reason and message always name the same Event. */
    static String eventName(HasMetadata about, EventReason reason, String message) {
        String key = about.getMetadata().getUid() + "/" + reason.name() + "/" + message;
        String digest = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "")
                .substring(0, 16);
        String name = about.getMetadata().getName();
        return name.substring(0, Math.min(name.length(), MAX_NAME - digest.length() - 1)) + "." + digest;
    }
}
