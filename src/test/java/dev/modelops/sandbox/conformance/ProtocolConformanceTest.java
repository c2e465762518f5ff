package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows 9, 11 and 12 of issue 19: the shapes of lists and errors, protobuf bodies, the server's own endpoints. */
class ProtocolConformanceTest extends ConformanceBase {

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go (ListResource answers the kind's list type)
    @Test
    void aListIsOfTheKindsListTypeAndGroupVersion() {
        assertEquals("ModelJobList", get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs").json()
                .path("kind").asText());
        assertEquals("modelops.dev/v1alpha1", get("/apis/modelops.dev/v1alpha1/modeljobs").json()
                .path("apiVersion").asText());
        assertEquals("EventList", get("/api/v1/namespaces/default/events").json().path("kind").asText());
        JsonNode pods = get("/api/v1/pods?limit=10").json();
        assertEquals("PodList", pods.path("kind").asText());
        assertEquals("v1", pods.path("apiVersion").asText());
        assertEquals("JobList", get("/apis/batch/v1/jobs").json().path("kind").asText());
    }

    // staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go NewNotFound
    @Test
    void aMissingObjectIsANotFoundStatus() {
        Answer answer = get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/x");

        assertEquals(404, answer.code());
        JsonNode status = answer.json();
        assertEquals("Status", status.path("kind").asText());
        assertEquals("NotFound", status.path("reason").asText());
        assertEquals("modeljobs.modelops.dev \"x\" not found", status.path("message").asText());
        assertEquals("x", status.path("details").path("name").asText());
        assertEquals("modelops.dev", status.path("details").path("group").asText());
        assertEquals("modeljobs", status.path("details").path("kind").asText());
    }

    // staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go NewAlreadyExists (client-go's IsAlreadyExists)
    @Test
    void aCreateOfAnExistingNameIsAlreadyExists() {
        send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json", modelJob("twice"));

        Answer again = send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("twice"));

        assertEquals(409, again.code(), again.body());
        assertEquals("AlreadyExists", again.json().path("reason").asText());
        assertEquals("modeljobs.modelops.dev \"twice\" already exists", again.json().path("message").asText());
        KubernetesClientException fromFabric8 = assertThrows(KubernetesClientException.class, () -> client
                .genericKubernetesResources("modelops.dev/v1alpha1", "ModelJob").load(new java.io.ByteArrayInputStream(
                        modelJob("twice").getBytes())).create());
        assertEquals("AlreadyExists", fromFabric8.getStatus().getReason());
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (a patch answers 200 OK with the patched object)
    @Test
    void aPatchAnswersOk() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("patched", ""));

        Answer answer = send("PATCH", "/api/v1/namespaces/default/configmaps/patched", "application/merge-patch+json",
                json("{'data':{'k':'w'}}"));

        assertEquals(200, answer.code(), answer.body());
        assertEquals("w", answer.json().path("data").path("k").asText());
    }

    // staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_handler.go (no strategic merge patch
    // for custom resources: 415)
    @Test
    void aStrategicMergePatchOfACustomResourceIsUnsupportedMediaType() {
        send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("strategic"));

        Answer answer = send("PATCH", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/strategic",
                "application/strategic-merge-patch+json", json("{'metadata':{'labels':{'a':'b'}}}"));

        assertEquals(415, answer.code(), answer.body());
        assertEquals("UnsupportedMediaType", answer.json().path("reason").asText());
    }

    // staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go (text/plain "ok")
    @Test
    void healthEndpointsAnswerOkAsText() {
        for (String path : new String[] {"/healthz", "/readyz", "/livez", "/readyz/ping"}) {
            Answer answer = get(path);
            assertEquals(200, answer.code(), path);
            assertEquals("ok", answer.body(), path);
            assertTrue(answer.contentType().startsWith("text/plain"), path);
        }
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (NotFound for what no handler
    // serves); the sandbox has no metrics endpoint and serves OpenAPI v3 only (README)
    @Test
    void pathsTheServerDoesNotServeAreNotFoundStatuses() {
        for (String path : new String[] {"/metrics", "/apis/nothing.example/v1/things", "/api/v1/widgets",
                "/api/v1/namespaces/default/pods/x/exec", "/openapi/v2"}) {
            Answer answer = get(path);
            assertEquals(404, answer.code(), path);
            assertEquals("NotFound", answer.json().path("reason").asText(), path);
        }
    }

    // kubectl describe lists the object's Events by a field selector on involvedObject
    // (staging/src/k8s.io/kubectl/pkg/describe/describe.go searchEvents)
    @Test
    void kubectlDescribeShowsTheEventsOfAModelJob() throws Exception {
        send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("described"));
        JsonNode modelJob = get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/described").json();
        client.v1().events().resource(new EventBuilder().withNewMetadata().withName("described.1").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("modelops.dev/v1alpha1")
                        .withKind("ModelJob").withName("described").withNamespace("default")
                        .withUid(modelJob.path("metadata").path("uid").asText()).build())
                .withReason("JobCreated").withMessage("created job described").withType("Normal")
                .withFirstTimestamp("2026-11-25T10:00:00Z").withLastTimestamp("2026-11-25T10:00:00Z").withCount(1)
                .build()).create();

        String out = kubectl().run("describe", "mj", "described");

        assertTrue(out.contains("JobCreated") && out.contains("created job described"), out);
    }

    // staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go (lists Services of kube-system)
    @Test
    void kubectlClusterInfoNamesTheControlPlane() throws Exception {
        String out = kubectl().run("cluster-info");

        assertTrue(out.contains("Kubernetes control plane is running at " + server.url()), out);
    }

    // kubectl create namespace/configmap send protobuf (staging/src/k8s.io/kubectl/pkg/cmd/create); the body is the
    // k8s\0 envelope of a runtime.Unknown (staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go)
    @Test
    void kubectlCreateNamespaceAndConfigMapSendProtobufThatIsRead() throws Exception {
        kubectl().run("create", "namespace", "made-by-kubectl");
        kubectl().run("create", "configmap", "settings", "-n", "made-by-kubectl", "--from-literal=epochs=3");

        assertEquals(200, get("/api/v1/namespaces/made-by-kubectl").code());
        assertEquals("3", get("/api/v1/namespaces/made-by-kubectl/configmaps/settings").json().path("data")
                .path("epochs").asText());
    }

    // kubectl create job --from=cronjob (staging/src/k8s.io/kubectl/pkg/cmd/create/create_job.go) posts a Job in
    // protobuf with the CronJob's template and an owner reference
    @Test
    void kubectlCreateJobFromACronJobSendsProtobufThatIsRead() throws Exception {
        send("POST", "/apis/batch/v1/namespaces/default/cronjobs", "application/json", json(
                "{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'nightly'},'spec':{'schedule':'0 2 * * *',"
                        + "'jobTemplate':{'spec':{'backoffLimit':2,'template':{'spec':{'restartPolicy':'Never',"
                        + "'containers':[{'name':'main','image':'trainer:1','resources':{'limits':{'memory':'1Gi'}}}]}}}}}}"));

        kubectl().run("create", "job", "nightly-manual", "--from=cronjob/nightly");

        JsonNode job = get("/apis/batch/v1/namespaces/default/jobs/nightly-manual").json();
        assertEquals("trainer:1", job.path("spec").path("template").path("spec").path("containers").path(0)
                .path("image").asText(), job.toString());
        assertEquals("1Gi", job.path("spec").path("template").path("spec").path("containers").path(0)
                .path("resources").path("limits").path("memory").asText(), job.toString());
        assertEquals(2, job.path("spec").path("backoffLimit").asInt(), job.toString());
        assertEquals("CronJob", job.path("metadata").path("ownerReferences").path(0).path("kind").asText());
        assertFalse(job.path("metadata").has("creationTimestamp") && job.path("metadata").path("creationTimestamp")
                .asText().startsWith("1970"), job.toString());
    }

    // kubectl auth can-i posts a SelfSubjectAccessReview (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go); the
    // sandbox has no authorization and allows everything (README)
    @Test
    void kubectlAuthCanIIsAllowedEverything() throws Exception {
        assertEquals("yes", kubectl().run("auth", "can-i", "delete", "modeljobs").trim());
    }

    // kubectl auth whoami posts a SelfSubjectReview (staging/src/k8s.io/kubectl/pkg/cmd/auth/whoami.go)
    @Test
    void kubectlAuthWhoamiNamesTheSandboxUser() throws Exception {
        String out = kubectl().run("auth", "whoami");

        assertTrue(out.contains("sandbox") && out.contains("system:masters"), out);
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (a body in a media type the server cannot read:
    // 415 UnsupportedMediaType)
    @Test
    void aProtobufBodyOfAKindTheSandboxCannotReadIsUnsupportedMediaType() {
        Answer answer = send("POST", "/api/v1/namespaces/default/services",
                "application/vnd.kubernetes.protobuf", "k8s\u0000garbage");

        assertEquals(415, answer.code(), answer.body());
        assertEquals("UnsupportedMediaType", answer.json().path("reason").asText());
        assertTrue(answer.json().path("message").asText().contains("application/json"), answer.body());
    }
}
