package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row 2 of issue 19: what the API server refuses on create and update, and what it drops. */
class ValidationConformanceTest extends ConformanceBase {

    // staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMeta, NameIsDNSSubdomain)
    @Test
    void aNameThatIsNoDnsSubdomainIsRefused() {
        Answer answer = send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                configMap("Bad_Name", ""));

        assertEquals(422, answer.code(), answer.body());
        assertEquals("Invalid", answer.json().path("reason").asText());
        assertTrue(answer.json().path("message").asText().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: "
                + "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"), answer.body());
        assertEquals(404, get("/api/v1/namespaces/default/configmaps/Bad_Name").code());
    }

    // pkg/apis/core/validation/validation.go (validateContainerCommon: image is required)
    @Test
    void aPodWithAnEmptyImageIsRefused() {
        Answer answer = send("POST", "/api/v1/namespaces/default/pods", "application/json", json(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'no-image'},'spec':{'containers':[{'name':'main',"
                        + "'image':''}]}}"));

        assertEquals(422, answer.code(), answer.body());
        assertEquals("Pod \"no-image\" is invalid: spec.containers[0].image: Required value",
                answer.json().path("message").asText());
    }

    // pkg/apis/core/validation/validation.go (ValidateConfigMap: IsConfigMapKey)
    @Test
    void aConfigMapKeyWithASpaceIsRefused() {
        Answer answer = send("POST", "/api/v1/namespaces/default/configmaps", "application/json", json(
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'bad-key'},'data':{'a key':'v'}}"));

        assertEquals(422, answer.code(), answer.body());
        assertTrue(answer.json().path("message").asText().startsWith("ConfigMap \"bad-key\" is invalid: data[a key]: "
                + "Invalid value: \"a key\": a valid config key must consist of alphanumeric characters"), answer.body());
    }

    // pkg/apis/core/validation/validation.go (ValidateConfigMap: totalSize > core.MaxSecretSize)
    @Test
    void aConfigMapOfMoreThan1MiBIsRefusedAndOneOfExactly1MiBIsNot() {
        String half = "x".repeat(512 * 1024);
        Answer full = send("POST", "/api/v1/namespaces/default/configmaps", "application/json", json(
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'full'},'data':{'a':'" + half + "','b':'"
                        + half + "'}}"));
        Answer over = send("POST", "/api/v1/namespaces/default/configmaps", "application/json", json(
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'over'},'data':{'a':'" + half + "','b':'"
                        + half + "é'}}"));

        assertEquals(201, full.code(), full.body().substring(0, 200));
        assertEquals(422, over.code(), over.body());
        assertEquals("ConfigMap \"over\" is invalid: : Too long: must have at most 1048576 bytes",
                over.json().path("message").asText());
    }

    // staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels)
    @Test
    void aLabelValueWithASpaceIsRefused() {
        Answer answer = send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                configMap("bad-label", "'team':'machine learning'"));

        assertEquals(422, answer.code(), answer.body());
        assertTrue(answer.json().path("message").asText().startsWith("ConfigMap \"bad-label\" is invalid: "
                + "metadata.labels: Invalid value: \"machine learning\": a valid label must be"), answer.body());
    }

    // plugin/pkg/admission/namespace/lifecycle/admission.go (NewNotFound(namespaces, name))
    @Test
    void aCreateInANamespaceThatDoesNotExistIsNotFound() {
        Answer answer = send("POST", "/api/v1/namespaces/nowhere/configmaps", "application/json",
                configMap("settings", ""));

        assertEquals(404, answer.code(), answer.body());
        assertEquals("NotFound", answer.json().path("reason").asText());
        assertEquals("namespaces \"nowhere\" not found", answer.json().path("message").asText());
    }

    // pkg/apis/batch/validation/validation.go (ValidateJobSpecUpdate: template and completions are immutable)
    @Test
    void aReplaceThatChangesAJobsTemplateOrCompletionsIsRefused() {
        assertEquals(201, send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json",
                job("immutable")).code());
        JsonNode stored = get("/apis/batch/v1/namespaces/default/jobs/immutable").json();

        String otherImage = stored.toString().replace("trainer:1", "trainer:2");
        Answer template = send("PUT", "/apis/batch/v1/namespaces/default/jobs/immutable", "application/json", otherImage);
        String moreCompletions = stored.toString().replace("\"completions\":1", "\"completions\":3");
        Answer completions = send("PUT", "/apis/batch/v1/namespaces/default/jobs/immutable", "application/json",
                moreCompletions);

        assertEquals(422, template.code(), template.body());
        assertTrue(template.json().path("message").asText().startsWith("Job.batch \"immutable\" is invalid: "
                + "spec.template: Invalid value"), template.body());
        assertTrue(template.json().path("message").asText().endsWith("field is immutable"), template.body());
        assertEquals(422, completions.code(), completions.body());
        assertEquals("Job.batch \"immutable\" is invalid: spec.completions: Invalid value: 3: field is immutable",
                completions.json().path("message").asText());
    }

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (fieldValidation=Strict: a strict decoding error)
    @Test
    void anUnknownFieldIsRefusedUnderStrictFieldValidation() {
        String withFoo = job("strict").replace("\"completions\":1", "\"completions\":1,\"foo\":\"bar\"");

        Answer answer = send("POST", "/apis/batch/v1/namespaces/default/jobs?fieldValidation=Strict",
                "application/json", withFoo);

        assertEquals(400, answer.code(), answer.body());
        assertEquals("BadRequest", answer.json().path("reason").asText());
        assertTrue(answer.json().path("message").asText().endsWith("strict decoding error: unknown field \"spec.foo\""),
                answer.body());
        assertEquals(404, get("/apis/batch/v1/namespaces/default/jobs/strict").code());
    }

    // staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/strategy.go (pruning, strict decoding)
    @Test
    void anUnknownFieldOfACustomResourceIsRefusedUnderStrictFieldValidation() {
        String withFoo = modelJob("strict-mj").replace("\"type\":\"Evaluate\"", "\"type\":\"Evaluate\",\"foo\":1");

        Answer answer = send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs?fieldValidation=Strict",
                "application/json", withFoo);

        assertEquals(400, answer.code(), answer.body());
        assertEquals("strict decoding error: unknown field \"spec.foo\"", answer.json().path("message").asText());
    }

    // https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation (Warn: dropped, with a warning)
    @Test
    void anUnknownFieldIsDroppedWithAWarningUnderWarnFieldValidation() {
        String withFoo = job("warned").replace("\"completions\":1", "\"completions\":1,\"foo\":\"bar\"");

        Answer answer = send("POST", "/apis/batch/v1/namespaces/default/jobs?fieldValidation=Warn",
                "application/json", withFoo);

        assertEquals(201, answer.code(), answer.body());
        assertEquals(java.util.List.of("299 - \"unknown field \\\"spec.foo\\\"\""), answer.warnings());
        assertFalse(get("/apis/batch/v1/namespaces/default/jobs/warned").json().path("spec").has("foo"));
    }

    // kubectl create sends fieldValidation=Strict (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go GetValidationDirective)
    @Test
    void kubectlCreateOfAManifestWithAnUnknownFieldFails() throws Exception {
        Path manifest = home.resolve("unknown-field.yaml");
        Files.writeString(manifest, """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: typo}
                spec: {type: Evaluate, modelVersion: churn-v3, modelVersoin: churn-v4}
                """);

        String out = kubectl().fail("create", "-f", manifest.toString());

        assertTrue(out.contains("unknown field \"spec.modelVersoin\""), out);
    }

    // pkg/registry/batch/job/strategy.go (PrepareForCreate: job.Status = batch.JobStatus{})
    @Test
    void aJobCreatedWithAStatusIsStoredWithout() {
        Job job = new JobBuilder().withNewMetadata().withName("with-status").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("main").withImage("trainer:1").endContainer().endSpec().endTemplate().endSpec()
                .withStatus(new JobStatusBuilder().withSucceeded(1).build()).build();

        Job created = client.batch().v1().jobs().resource(job).create();

        assertNull(created.getStatus());
        assertNull(client.batch().v1().jobs().withName("with-status").get().getStatus());
    }

    // staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/strategy.go (PrepareForCreate drops
    // status when the CRD has a status subresource)
    @Test
    void aCustomResourceCreatedWithAStatusIsStoredWithout() {
        String withStatus = modelJob("mj-with-status").replace("}}", "},\"status\":{\"phase\":\"Succeeded\"}}");

        Answer answer = send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                withStatus);

        assertEquals(201, answer.code(), answer.body());
        assertFalse(answer.json().has("status"), answer.body());
    }
}
