package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whoever may create ModelJobs gets restricted pods, refined at most up to the operator's pod security level. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class PodSecurityTest {

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, "churn-v3");
    }

    @Test
    void aTemplateThatSetsItsUserKeepsEveryOtherRestriction() {
        modelJob("sec-user", JobType.Evaluate, "churn-v3").runs("10ms")
                .template(template(new SecurityContextBuilder().withRunAsUser(1000L).build(), null)).create(client);
        awaitCondition(client, "sec-user", "Complete");

        var pod = client.batch().v1().jobs().withName("sec-user").get().getSpec().getTemplate().getSpec();
        SecurityContext context = pod.getContainers().get(0).getSecurityContext();
        assertEquals(1000L, context.getRunAsUser());
        assertTrue(context.getRunAsNonRoot());
        assertFalse(context.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertFalse(pod.getAutomountServiceAccountToken(), "a job that names no account gets no API token");
    }

    @Test
    void aPrivilegedTemplateIsRefusedNamingTheFieldAndTheSetting() {
        modelJob("sec-privileged", JobType.Evaluate, "churn-v3")
                .template(template(new SecurityContextBuilder().withPrivileged(true).build(), null)).create(client);

        ModelJob failed = awaitCondition(client, "sec-privileged", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("PodSecurityExceeded", condition.getReason());
        assertTrue(condition.getMessage().contains("spec.template.securityContext asks for privileged: true")
                && condition.getMessage().contains("modelops.jobs.pod-security"), condition.getMessage());
        assertNull(client.batch().v1().jobs().withName("sec-privileged").get(), "no Job is created");
    }

    @Test
    void aServiceAccountTheOperatorDoesNotAllowIsRefused() {
        modelJob("sec-account", JobType.Evaluate, "churn-v3").template(template(null, "namespace-admin")).create(client);

        ModelJob failed = awaitCondition(client, "sec-account", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("ServiceAccountNotAllowed", condition.getReason());
        assertTrue(condition.getMessage().startsWith("spec.template.serviceAccountName: namespace-admin is not allowed"),
                condition.getMessage());
        assertNull(client.batch().v1().jobs().withName("sec-account").get());
    }

    private static ContainerTemplate template(SecurityContext context, String serviceAccount) {
        ContainerTemplate template = new ContainerTemplate();
        template.setSecurityContext(context);
        template.setServiceAccountName(serviceAccount);
        return template;
    }
}
