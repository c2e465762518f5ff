package dev.modelops.sandbox.server;

import dev.modelops.testing.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sandbox refuses the Jobs a Kubernetes 1.34 API server refuses, with its status code and message, and stores
 * nothing of them.
 */
class JobAdmissionTest {

    private static final String LABEL_RULE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String LONG_NAME = "churn-v3-train-with-a-name-that-an-operator-derived-from-its-inputs";

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @Test
    void aValidJobIsCreated() {
        Job job = job("churn-v3-evaluate");
        container(job).setEnv(List.of(new EnvVar("EPOCHS", "3", null), new EnvVar("1ST_RUN", "yes", null)));
        container(job).setResources(new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi"))).build());

        CLUSTER.client().batch().v1().jobs().resource(job).create();

        assertNotNull(CLUSTER.client().batch().v1().jobs().withName("churn-v3-evaluate").get());
    }

    @Test
    void aNameLongerThanALabelValueIsRefusedWhereTheApiServerPutsItInALabel() {
        assertEquals("Job.batch \"" + LONG_NAME + "\" is invalid: spec.template.labels: Invalid value: \""
                + LONG_NAME + "\": must be no more than 63 characters", invalid(job(LONG_NAME)));
    }

    @Test
    void aJobWithoutLabelsTakesItsTemplatesSoALongNameIsRefusedInBoth() {
        Job job = job(LONG_NAME);
        job.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "churn"));

        assertEquals("Job.batch \"" + LONG_NAME + "\" is invalid: [metadata.labels: Invalid value: \"" + LONG_NAME
                + "\": must be no more than 63 characters, spec.template.labels: Invalid value: \"" + LONG_NAME
                + "\": must be no more than 63 characters]", invalid(job));
    }

    @Test
    void theNameMustBeADnsSubdomain() {
        assertEquals("Job.batch \"Churn_V3\" is invalid: metadata.name: Invalid value: \"Churn_V3\": a lowercase "
                + "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
                + "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                invalid(job("Churn_V3")));
    }

    @Test
    void labelValuesOfTheJobAndItsTemplateMustBeValid() {
        Job job = job("churn-v3-train");
        job.getMetadata().setLabels(Map.of("model", "churn v3"));
        job.getSpec().getTemplate().getMetadata().setLabels(Map.of("team", "ml-platform-" + "x".repeat(60)));

        assertEquals("Job.batch \"churn-v3-train\" is invalid: [metadata.labels: Invalid value: \"churn v3\": "
                + LABEL_RULE + ", spec.template.labels: Invalid value: \"ml-platform-" + "x".repeat(60)
                + "\": must be no more than 63 characters]", invalid(job));
    }

    @Test
    void labelKeysMustBeQualifiedNames() {
        Job job = job("churn-v3-train");
        job.getMetadata().setLabels(Map.of("-team", "ml"));

        assertEquals("Job.batch \"churn-v3-train\" is invalid: metadata.labels: Invalid value: \"-team\": name part "
                + "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", invalid(job));
    }

    @Test
    void everyContainerNeedsAnImage() {
        Job job = job("churn-v3-train");
        container(job).setImage(null);

        KubernetesClientException refusal = refused(job);

        assertEquals("Job.batch \"churn-v3-train\" is invalid: spec.template.spec.containers[0].image: Required value",
                refusal.getStatus().getMessage());
        assertEquals(422, refusal.getStatus().getCode());
        assertEquals("Invalid", refusal.getStatus().getReason());
        assertEquals("batch", refusal.getStatus().getDetails().getGroup());
        assertEquals("Job", refusal.getStatus().getDetails().getKind());
        assertEquals("churn-v3-train", refusal.getStatus().getDetails().getName());
        StatusCause cause = refusal.getStatus().getDetails().getCauses().get(0);
        assertEquals("spec.template.spec.containers[0].image", cause.getField());
        assertEquals("FieldValueRequired", cause.getReason());
        assertEquals("Required value", cause.getMessage());
    }

    @Test
    void envVarNamesAreAnyPrintableAsciiButTheEqualsSign() {
        Job job = job("churn-v3-train");
        container(job).setEnv(List.of(new EnvVar("EPOCHS", "3", null), new EnvVar("LEARNING=RATE", "0.1", null)));

        assertEquals("Job.batch \"churn-v3-train\" is invalid: spec.template.spec.containers[0].env[1].name: Invalid "
                + "value: \"LEARNING=RATE\": a valid environment variable name must consist only of printable ASCII "
                + "characters other than '='", invalid(job));
    }

    @Test
    void aQuantityThatDoesNotParseMakesTheJobUnreadable() {
        Job job = job("churn-v3-train");
        container(job).setResources(new ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("1Gb"))).build());

        KubernetesClientException refusal = refused(job);

        assertEquals(400, refusal.getCode());
        assertEquals("BadRequest", refusal.getStatus().getReason());
        assertEquals("Job in version \"v1\" cannot be handled as a Job: quantities must match the regular expression "
                + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", refusal.getStatus().getMessage());
    }

    @Test
    void quantitiesMustNotBeNegative() {
        Job job = job("churn-v3-train");
        container(job).setResources(new ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("-1Gi"))).build());

        assertEquals("Job.batch \"churn-v3-train\" is invalid: spec.template.spec.containers[0].resources"
                + ".limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0",
                invalid(job));
    }

    @Test
    void aRequestMustNotExceedItsLimitAndBothShowInCanonicalForm() {
        Job job = job("churn-v3-train");
        container(job).setResources(new ResourceRequirementsBuilder()
                .withRequests(Map.of("memory", new Quantity("2048Mi")))
                .withLimits(Map.of("memory", new Quantity("1024Mi"))).build());

        assertEquals("Job.batch \"churn-v3-train\" is invalid: spec.template.spec.containers[0].resources.requests: "
                + "Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi", invalid(job));
    }

    @Test
    void aJobWithoutARestartPolicyGetsAlwaysWhichAJobMayNotHave() {
        Job job = job("churn-v3-train");
        job.getSpec().getTemplate().getSpec().setRestartPolicy(null);

        assertEquals("Job.batch \"churn-v3-train\" is invalid: spec.template.spec.restartPolicy: Required value: "
                + "valid values: \"OnFailure\", \"Never\"", invalid(job));
    }

    @Test
    void anUnknownRestartPolicyIsRefusedByThePodAndTheJobChecks() {
        Job job = job("churn-v3-train");
        job.getSpec().getTemplate().getSpec().setRestartPolicy("Sometimes");

        assertEquals("Job.batch \"churn-v3-train\" is invalid: [spec.template.spec.restartPolicy: Unsupported value: "
                + "\"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\", "
                + "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", "
                + "\"Never\"]", invalid(job));
    }

    @Test
    void severalErrorsAreListedInBracketsInTheOrderTheApiServerChecks() {
        Job job = job("churn-v3-train");
        job.getSpec().setBackoffLimit(-1);
        job.getSpec().getTemplate().getSpec().setRestartPolicy("Always");
        container(job).setImage("");
        container(job).setEnv(List.of(new EnvVar("", "x", null)));
        job.getSpec().getTemplate().getSpec().getContainers().add(new Container());

        assertEquals("Job.batch \"churn-v3-train\" is invalid: [spec.backoffLimit: Invalid value: -1: must be greater "
                + "than or equal to 0, spec.template.spec.containers[0].image: Required value, "
                + "spec.template.spec.containers[0].env[0].name: Required value, "
                + "spec.template.spec.containers[1].name: Required value, "
                + "spec.template.spec.containers[1].image: Required value, "
                + "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"]",
                invalid(job));
    }

    /** The message of the 422 that refuses the Job. */
    private static String invalid(Job job) {
        KubernetesClientException refusal = refused(job);
        assertEquals(422, refusal.getCode(), refusal::getMessage);
        return refusal.getStatus().getMessage();
    }

    /** The Job's refusal; it is not stored. */
    private static KubernetesClientException refused(Job job) {
        KubernetesClientException refusal = assertThrows(KubernetesClientException.class,
                () -> CLUSTER.client().batch().v1().jobs().resource(job).create());
        assertNull(CLUSTER.client().batch().v1().jobs().withName(job.getMetadata().getName()).get());
        return refusal;
    }

    private static Job job(String name) {
        return new JobBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withNewMetadata().endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("trainer:1").endContainer()
                .endSpec().endTemplate().endSpec()
                .build();
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
