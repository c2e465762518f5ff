package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/** Events that the simulated controllers record, as Kubernetes' own controllers do. Never fails the caller. */
final class ControllerEvents {

    private static final Logger LOG = Logger.getLogger(ControllerEvents.class);

    private final KubernetesClient client;
    private final String component;

    ControllerEvents(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
    }

    void record(HasMetadata about, String type, String reason, String message, Instant now) {
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString()
                            .substring(0, 8)).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message).withCount(1)
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString())
                    .withNewSource().withComponent(component).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.debugf("event %s on %s not recorded: %s", reason, about.getMetadata().getName(), e.getMessage());
        }
    }
}
