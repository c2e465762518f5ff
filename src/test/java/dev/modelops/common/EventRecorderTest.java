package dev.modelops.common;

import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecorderTest {

    enum Reason implements EventReason {
        JobCreated(EventType.Normal),
        Failed(EventType.Warning);

        private final EventType type;

        Reason(EventType type) {
            this.type = type;
        }

        @Override
        public EventType type() {
            return type;
        }
    }

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @Test
    void anEventNamesItsObjectReasonTypeAndComponent() {
        ConfigMap about = object("about-one");
        new EventRecorder(CLUSTER.server().client(), "modeljob-controller")
                .record(about, Reason.Failed, "exit code 3", Instant.parse("2026-11-25T10:00:00Z"));

        Event event = eventsAbout("about-one").get(0);
        assertEquals("Failed", event.getReason());
        assertEquals("Warning", event.getType());
        assertEquals("exit code 3", event.getMessage());
        assertEquals("ConfigMap", event.getInvolvedObject().getKind());
        assertEquals(about.getMetadata().getUid(), event.getInvolvedObject().getUid());
        assertEquals("modeljob-controller", event.getSource().getComponent());
        assertEquals("2026-11-25T10:00:00Z", event.getLastTimestamp());
    }

    @Test
    void aRepeatCountsTheSameEventInsteadOfAddingOne() {
        ConfigMap about = object("about-two");
        EventRecorder recorder = new EventRecorder(CLUSTER.server().client(), "modeljob-controller");

        recorder.record(about, Reason.JobCreated, "created job about-two", Instant.parse("2026-11-25T10:00:00Z"));
        recorder.record(about, Reason.JobCreated, "created job about-two", Instant.parse("2026-11-25T10:01:00Z"));
        recorder.record(about, Reason.Failed, "another story", Instant.parse("2026-11-25T10:02:00Z"));

        List<Event> events = eventsAbout("about-two");
        assertEquals(2, events.size());
        Event repeated = events.stream().filter(e -> e.getReason().equals("JobCreated")).findFirst().orElseThrow();
        assertEquals(2, repeated.getCount());
        assertEquals("2026-11-25T10:00:00Z", repeated.getFirstTimestamp());
        assertEquals("2026-11-25T10:01:00Z", repeated.getLastTimestamp());
    }

    @Test
    void anObjectWithALongNameGetsEventsWithAValidName() {
        String longName = "m".repeat(250);
        ConfigMap about = object(longName);

        new EventRecorder(CLUSTER.server().client(), "modeljob-controller")
                .record(about, Reason.Failed, "exit code 3", Instant.parse("2026-11-25T10:00:00Z"));

        Event event = eventsAbout(longName).get(0);
        assertTrue(event.getMetadata().getName().length() <= 253, event.getMetadata().getName());
        assertEquals(longName, event.getInvolvedObject().getName());
    }

    @Test
    void anApiServerThatRefusesEventsDoesNotFailTheCaller() {
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
            assertDoesNotThrow(() -> new EventRecorder(unreachable, "modeljob-controller")
                    .record(object("about-three"), Reason.Failed, "lost", Instant.now()));
        }
    }

    private static ConfigMap object(String name) {
        return CLUSTER.server().client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().build()).create();
    }

    private static List<Event> eventsAbout(String name) {
        return CLUSTER.server().client().v1().events().withField("involvedObject.name", name).list().getItems();
    }
}
