package dev.modelops.workload;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.StepTemplate;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import dev.modelops.testing.TestJobSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod every job runs: restricted unless refined, never beyond the operator's level, and only allowed accounts. */
class PodTemplatesTest {

    @Test
    void aTemplateThatSetsOneFieldKeepsEveryOtherSafeguard() {
        SecurityContext context = SecurityContexts.refine(new SecurityContextBuilder().withRunAsUser(1000L).build());

        assertEquals(1000L, context.getRunAsUser());
        assertTrue(context.getRunAsNonRoot());
        assertFalse(context.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertEquals("RuntimeDefault", context.getSeccompProfile().getType());
        assertEquals(List.of(), SecurityContexts.beyond(context, PodSecurityLevel.restricted));
    }

    @Test
    void addedCapabilitiesStillDropAll() {
        SecurityContext context = SecurityContexts.refine(new SecurityContextBuilder().withNewCapabilities()
                .withAdd("NET_BIND_SERVICE").endCapabilities().build());

        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertEquals(List.of("NET_BIND_SERVICE"), context.getCapabilities().getAdd());
        assertEquals(List.of(), SecurityContexts.beyond(context, PodSecurityLevel.restricted));
    }

    @Test
    void eachLevelRefusesWhatItForbids() {
        SecurityContext privileged = SecurityContexts.refine(new SecurityContextBuilder().withPrivileged(true).build());
        SecurityContext root = SecurityContexts.refine(new SecurityContextBuilder().withRunAsNonRoot(false)
                .withRunAsUser(0L).build());
        SecurityContext sysAdmin = SecurityContexts.refine(new SecurityContextBuilder().withNewCapabilities()
                .withAdd("SYS_ADMIN").endCapabilities().build());

        assertEquals(List.of("privileged: true"), SecurityContexts.beyond(privileged, PodSecurityLevel.baseline));
        assertEquals(List.of(), SecurityContexts.beyond(privileged, PodSecurityLevel.privileged));
        assertEquals(List.of(), SecurityContexts.beyond(root, PodSecurityLevel.baseline), "baseline allows root");
        assertEquals(List.of("runAsNonRoot: false", "runAsUser: 0"),
                SecurityContexts.beyond(root, PodSecurityLevel.restricted));
        assertEquals(List.of("capabilities.add: SYS_ADMIN"), SecurityContexts.beyond(sysAdmin, PodSecurityLevel.baseline));
    }

    @Test
    void aTemplateAboveTheLevelIsRefusedNamingTheFieldAndTheSetting() {
        ContainerTemplate template = new ContainerTemplate();
        template.setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());

        var refusal = new PodTemplates(settings(PodSecurityLevel.baseline, List.of())).refusal(request(template));

        assertEquals(TemplateRefusal.Problem.PodSecurityExceeded, refusal.orElseThrow().problem());
        assertEquals("spec.template.securityContext asks for privileged: true, beyond the Pod Security level baseline"
                + " that the operator's setting modelops.jobs.pod-security allows", refusal.get().message());
    }

    @Test
    void onlyTheServiceAccountsTheOperatorAllowsMayBeNamed() {
        ContainerTemplate template = new ContainerTemplate();
        template.setServiceAccountName("cluster-admin-sa");

        var none = new PodTemplates(settings(PodSecurityLevel.baseline, List.of())).refusal(request(template));
        var allowed = new PodTemplates(settings(PodSecurityLevel.baseline, List.of("cluster-admin-sa")))
                .refusal(request(template));

        assertEquals(TemplateRefusal.Problem.ServiceAccountNotAllowed, none.orElseThrow().problem());
        assertTrue(none.get().message().contains("modelops.jobs.service-accounts allows none"), none.get().message());
        assertTrue(allowed.isEmpty());
    }

    @Test
    void aPodThatNamesNoAccountGetsNoApiToken() {
        var pod = new PodTemplates(settings(PodSecurityLevel.baseline, List.of())).build(request(null));

        assertFalse(pod.getSpec().getAutomountServiceAccountToken());
        assertNull(pod.getSpec().getServiceAccountName());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertTrue(pod.getSpec().getContainers().get(0).getSecurityContext().getRunAsNonRoot());
    }

    private static PodRequest request(ContainerTemplate template) {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName("churn-v3");
        version.setSpec(new ModelVersionSpec());
        version.getSpec().setModel("churn");
        ModelSource source = new ModelSource();
        StepTemplate train = new StepTemplate();
        train.setImage("ghcr.io/acme/train:1");
        source.setTrain(train);
        version.getSpec().setSource(source);
        return new PodRequest(JobType.Train, version, template, "spec.template", Map.of(), Map.of());
    }

    private static JobSettings settings(PodSecurityLevel level, List<String> accounts) {
        return new TestJobSettings(level, accounts);
    }
}
