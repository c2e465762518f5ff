package dev.modelops.sandbox.conformance;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row 10 of issue 19: dryRun=All answers what would be stored and stores nothing. */
class DryRunConformanceTest extends ConformanceBase {

    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/dryrun.go (DryRunnableStorage: no write to storage)
    @Test
    void aDryRunCreateAnswersTheObjectAndStoresNothingAndSendsNoEvent() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            Answer answer = send("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", "application/json",
                    configMap("dry", ""));
            send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("wet", ""));

            assertEquals(201, answer.code(), answer.body());
            assertEquals("dry", answer.json().path("metadata").path("name").asText());
            assertFalse(answer.json().path("metadata").path("uid").asText().isEmpty());
            assertEquals(404, get("/api/v1/namespaces/default/configmaps/dry").code());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ADDED wet"));
            assertFalse(seen.contains("ADDED dry"), seen.toString());
        }
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go (dryRun: the updated object, not stored)
    @Test
    void aDryRunReplaceAndPatchAnswerTheChangeAndStoreNothing() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("kept", ""));
        String stored = get("/api/v1/namespaces/default/configmaps/kept").body();

        Answer replaced = send("PUT", "/api/v1/namespaces/default/configmaps/kept?dryRun=All", "application/json",
                stored.replace("\"k\":\"v\"", "\"k\":\"replaced\""));
        Answer patched = send("PATCH", "/api/v1/namespaces/default/configmaps/kept?dryRun=All",
                "application/merge-patch+json", json("{'data':{'k':'patched'}}"));

        assertEquals(200, replaced.code(), replaced.body());
        assertEquals("replaced", replaced.json().path("data").path("k").asText());
        assertEquals(200, patched.code(), patched.body());
        assertEquals("patched", patched.json().path("data").path("k").asText());
        assertEquals(stored, get("/api/v1/namespaces/default/configmaps/kept").body());
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go (DeleteOptions.DryRun)
    @Test
    void aDryRunDeleteDeletesNothing() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("survivor", ""));

        Answer byQuery = send("DELETE", "/api/v1/namespaces/default/configmaps/survivor?dryRun=All", null, null);
        Answer byOptions = send("DELETE", "/api/v1/namespaces/default/configmaps/survivor", "application/json",
                json("{'kind':'DeleteOptions','apiVersion':'v1','dryRun':['All']}"));

        assertEquals(200, byQuery.code(), byQuery.body());
        assertEquals(200, byOptions.code(), byOptions.body());
        assertEquals(200, get("/api/v1/namespaces/default/configmaps/survivor").code());
    }

    // kubectl apply --dry-run=server (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go) creates nothing
    @Test
    void kubectlApplyWithServerDryRunCreatesNoModelJob() throws Exception {
        Path manifest = home.resolve("dry-apply.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: churn-v3-evaluate-dry}
                spec: {type: Evaluate, modelVersion: churn-v3}
                """);

        String out = kubectl().run("apply", "--dry-run=server", "-f", manifest.toString());

        assertTrue(out.contains("created (server dry run)"), out);
        assertEquals(404, get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/churn-v3-evaluate-dry").code());
    }

    // kubectl delete --dry-run=server (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go) deletes nothing
    @Test
    void kubectlDeleteWithServerDryRunDeletesNothing() throws Exception {
        send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("churn-v3-evaluate-kept"));

        String out = kubectl().run("delete", "mj", "churn-v3-evaluate-kept", "--dry-run=server");

        assertTrue(out.contains("deleted (server dry run)"), out);
        assertEquals(200, get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/churn-v3-evaluate-kept").code());
    }

    // kubectl diff (staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go) asks for a server-side dry run of the change
    @Test
    void kubectlDiffShowsTheChangeAndStoresNothing() throws Exception {
        send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("churn-v3-evaluate-diffed"));
        Path manifest = home.resolve("diff.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: churn-v3-evaluate-diffed, labels: {team: ml}}
                spec: {type: Evaluate, modelVersion: churn-v3}
                """);
        String unchanged = get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/churn-v3-evaluate-diffed")
                .body();

        Process diff = kubectl().start("diff", "-f", manifest.toString());
        String out = new String(diff.getInputStream().readAllBytes());
        diff.waitFor();

        assertEquals(1, diff.exitValue(), out);
        assertTrue(out.contains("+    team: ml"), out);
        assertEquals(unchanged, get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/churn-v3-evaluate-diffed")
                .body());
    }
}
