package dev.modelops.sandbox.server;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API server restarts with its store kept, as one whose etcd outlives it: on the same port, with the same
 * objects and resourceVersions going on from where they were; clients and informers reconnect by themselves.
 */
class RestartKeepingDataTest {

    private EmbeddedApiServer server;
    private KubernetesClient writer;
    private KubernetesClient watcher;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
        writer = server.newClient("test-user/1");
        watcher = server.newClient("watcher/1");
    }

    @AfterEach
    void stop() {
        writer.close();
        watcher.close();
        server.close();
    }

    @Test
    void anInformerGoesOnAfterARestartAndSeesTheChangesMadeAfterIt() {
        writer.resource(configMap("before", "1")).create();
        SharedIndexInformer<ConfigMap> informer = watcher.configMaps().inNamespace("default").inform();
        try {
            await().until(() -> informer.getStore().getByKey("default/before") != null);
            String url = server.url();
            long versionBefore = version(writer.configMaps().withName("before").get());
            long watchesBefore = server.requests().snapshot("watcher").count("watch", "configmaps");

            server.restartKeepingData();

            assertEquals(url, server.url(), "the same port");
            ConfigMap kept = writer.configMaps().withName("before").get();
            assertEquals("1", kept.getData().get("value"));
            assertEquals(versionBefore, version(kept), "the same object, at the same resourceVersion");
            writer.resource(configMap("before", "2")).update();
            ConfigMap after = writer.resource(configMap("after", "1")).create();
            assertTrue(version(after) > versionBefore, "resourceVersions go on: " + version(after));

            await().atMost(Duration.ofSeconds(30)).until(() -> informer.getStore().getByKey("default/after") != null
                    && "2".equals(informer.getStore().getByKey("default/before").getData().get("value")));
            assertTrue(server.requests().snapshot("watcher").count("watch", "configmaps") > watchesBefore,
                    "the informer watched again");
        } finally {
            informer.close();
        }
    }

    @Test
    void aRestartBreaksTheWatchesOfTheStoreAndTheServerServesNewOnes() {
        SharedIndexInformer<ConfigMap> informer = watcher.configMaps().inNamespace("default").inform();
        try {
            await().until(informer::isWatching);
            for (int restart = 0; restart < 3; restart++) {
                server.restartKeepingData();
                writer.resource(configMap("after-" + restart, "1")).create();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> informer.getStore().list().size() == 3);
        } finally {
            informer.close();
        }
        writer.resource(configMap("unwatched", "1")).create();
        assertEquals(4, writer.configMaps().list().getItems().size());
    }

    private static long version(ConfigMap configMap) {
        return Long.parseLong(configMap.getMetadata().getResourceVersion());
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("value", value).build();
    }
}
