package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server serves many clients at once; a watch opened while others write still ends up seeing every write, and
 * one opened just before a write sees that write; a watch sees the state it opens on, then each later write once and
 * in order.
 */
class ConcurrentWatchTest {

    private static final int OBJECTS = 50;
    private static final int WRITERS = 6;

    private EmbeddedApiServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
    }

    @AfterEach
    void stop() {
        clients.forEach(KubernetesClient::close);
        server.close();
    }

    @Test
    void informersStartedDuringConcurrentWritesConvergeOnTheLastWriteOfEveryObject() throws Exception {
        KubernetesClient writer = client("writer");
        for (int i = 0; i < OBJECTS; i++) {
            writer.resource(configMap(i, 0)).create();
        }
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<SharedIndexInformer<ConfigMap>> informers = new ArrayList<>();
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int lane = w;
                writes.add(writers.submit(() -> {
                    for (int round = 1; round <= 30; round++) {
                        for (int i = lane; i < OBJECTS; i += WRITERS) {
                            writer.resource(configMap(i, round)).update();
                        }
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                informers.add(client("watcher-" + i).configMaps().inNamespace("default").inform());
            }
            for (Future<?> write : writes) {
                write.get();
            }
            Map<String, String> stored = writer.configMaps().inNamespace("default").list().getItems().stream()
                    .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getData().get("round")));
            for (SharedIndexInformer<ConfigMap> informer : informers) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(stored,
                        informer.getStore().list().stream().collect(Collectors.toMap(
                                c -> c.getMetadata().getName(), c -> c.getData().get("round")))));
            }
        } finally {
            informers.forEach(SharedIndexInformer::stop);
            writers.shutdownNow();
        }
    }

    @Test
    void aWriteRightAfterAWatchOpensReachesIt() {
        KubernetesClient writer = client("writer");
        writer.resource(configMap(0, 0)).create();
        for (int round = 1; round <= 5; round++) {
            SharedIndexInformer<ConfigMap> informer = client("watcher-" + round).configMaps().inNamespace("default")
                    .inform();
            try {
                writer.resource(configMap(0, round)).update();
                String written = Integer.toString(round);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .untilAsserted(() -> assertEquals(written,
                                informer.getStore().getByKey("default/settings-0").getData().get("round")));
            } finally {
                informer.stop();
            }
        }
    }

    @Test
    void aWatchOpenedDuringWritesSeesTheStateThenEveryLaterWriteOnceAndInOrder() throws Exception {
        KubernetesClient writer = client("writer");
        long created = Long.parseLong(writer.resource(configMap(0, 0)).create().getMetadata().getResourceVersion());
        Set<Long> written = new ConcurrentSkipListSet<>(List.of(created));
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<List<Long>> seen = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writes.add(writers.submit(() -> {
                    for (int round = 1; round <= 60; round++) {
                        // a merge patch without a resourceVersion: the writers never conflict
                        ConfigMap patched = writer.configMaps().inNamespace("default").withName("settings-0")
                                .patch(PatchContext.of(PatchType.JSON_MERGE),
                                        "{\"data\":{\"round\":\"" + round + "\"}}");
                        written.add(Long.parseLong(patched.getMetadata().getResourceVersion()));
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                List<Long> versions = new CopyOnWriteArrayList<>();
                seen.add(versions);
                watches.add(client("watcher-" + i).configMaps().inNamespace("default").withName("settings-0")
                        .watch(new Watcher<>() {
                            @Override
                            public void eventReceived(Action action, ConfigMap configMap) {
                                versions.add(Long.parseLong(configMap.getMetadata().getResourceVersion()));
                            }

                            @Override
                            public void onClose(WatcherException cause) {
                            }
                        }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            long last = Collections.max(written);
            for (List<Long> versions : seen) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !versions.isEmpty() && versions.get(versions.size() - 1) == last);
                List<Long> fromFirstSeen = written.stream().filter(version -> version >= versions.get(0)).toList();
                assertEquals(fromFirstSeen, versions);
            }
        } finally {
            watches.forEach(Watch::close);
            writers.shutdownNow();
        }
    }

    private KubernetesClient client(String name) {
        KubernetesClient client = server.newClient(name);
        clients.add(client);
        return client;
    }

    private static ConfigMap configMap(int index, int round) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings-" + index).withNamespace("default")
                .endMetadata().addToData("round", Integer.toString(round)).build();
    }
}
