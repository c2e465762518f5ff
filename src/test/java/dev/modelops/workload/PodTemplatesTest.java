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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod every job runs: restricted unless refined, never beyond the operator's level, and only allowed accounts. */
class PodTemplatesTest {

    @Test
    void aTemplateThatSetsOneFieldKeepsEveryOtherSafeguard() {
        var pod = templates(PodSecurityLevel.baseline).build(request(securityContext(new SecurityContextBuilder()
                .withRunAsUser(1000L).build())));

        SecurityContext context = pod.getSpec().getContainers().get(0).getSecurityContext();
        assertEquals(1000L, context.getRunAsUser());
        assertTrue(context.getRunAsNonRoot());
        assertFalse(context.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertEquals("RuntimeDefault", context.getSeccompProfile().getType());
        assertEquals(List.of(), PodSecurityStandard.violations(pod));
    }

    @Test
    void addedCapabilitiesStillDropAll() {
        var pod = templates(PodSecurityLevel.baseline).build(request(securityContext(new SecurityContextBuilder()
                .withNewCapabilities().withAdd("NET_BIND_SERVICE").endCapabilities().build())));

        SecurityContext context = pod.getSpec().getContainers().get(0).getSecurityContext();
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
        assertEquals(List.of("NET_BIND_SERVICE"), context.getCapabilities().getAdd());
        assertEquals(List.of(), PodSecurityStandard.violations(pod));
    }

    @Test
    void eachLevelRefusesWhatItForbids() {
        var privileged = request(securityContext(new SecurityContextBuilder().withPrivileged(true).build()));
        var root = request(securityContext(new SecurityContextBuilder().withRunAsNonRoot(false).withRunAsUser(0L)
                .build()));
        var sysAdmin = request(securityContext(new SecurityContextBuilder().withNewCapabilities().withAdd("SYS_ADMIN")
                .endCapabilities().build()));

        assertTrue(templates(PodSecurityLevel.baseline).refusal(privileged).isPresent());
        assertTrue(templates(PodSecurityLevel.privileged).refusal(privileged).isEmpty());
        assertTrue(templates(PodSecurityLevel.baseline).refusal(root).isEmpty(), "baseline allows root");
        assertEquals("spec.template.securityContext.runAsNonRoot: false, spec.template.securityContext.runAsUser: 0"
                + " are beyond the Pod Security level restricted that the operator's setting"
                + " modelops.jobs.pod-security allows",
                templates(PodSecurityLevel.restricted).refusal(root).orElseThrow().message());
        assertTrue(templates(PodSecurityLevel.baseline).refusal(sysAdmin).orElseThrow().message()
                .startsWith("spec.template.securityContext.capabilities.add: SYS_ADMIN is beyond"));
    }

    @Test
    void aTemplateAboveTheLevelIsRefusedNamingTheFieldAndTheSetting() {
        var refusal = templates(PodSecurityLevel.baseline).refusal(request(securityContext(
                new SecurityContextBuilder().withPrivileged(true).build())));

        assertEquals(TemplateRefusal.Problem.PodSecurityExceeded, refusal.orElseThrow().problem());
        assertEquals("spec.template.securityContext.privileged: true is beyond the Pod Security level baseline"
                + " that the operator's setting modelops.jobs.pod-security allows", refusal.get().message());
    }

    @Test
    void podAnnotationsCannotLiftAppArmorBeyondTheLevel() {
        ContainerTemplate template = new ContainerTemplate();
        template.setPodAnnotations(Map.of("container.apparmor.security.beta.kubernetes.io/main", "unconfined"));

        var refusal = templates(PodSecurityLevel.baseline).refusal(request(template));

        assertEquals("spec.template.podAnnotations[container.apparmor.security.beta.kubernetes.io/main]: unconfined"
                + " is beyond the Pod Security level baseline that the operator's setting modelops.jobs.pod-security"
                + " allows", refusal.orElseThrow().message());
    }

    @Test
    void aPodBelowRestrictedIsNamedFieldByFieldWhereTheTemplateSetsIt() {
        ModelVersion version = request(null).version();
        version.getSpec().getSource().getTrain().setSecurityContext(new SecurityContextBuilder().withRunAsNonRoot(false)
                .build());
        var fromVersion = new PodRequest(JobType.Train, version, null, "spec.template", Map.of(), Map.of());
        var fromJob = request(securityContext(new SecurityContextBuilder().withAllowPrivilegeEscalation(true).build()));

        assertEquals(Optional.of("The pods of Job churn-v3-train-1 do not meet Pod Security \"restricted\":"
                + " spec.template.securityContext.allowPrivilegeEscalation: true (allowed up to baseline by the"
                + " operator's setting modelops.jobs.pod-security)"),
                templates(PodSecurityLevel.baseline).notRestricted(fromJob, "Job churn-v3-train-1"));
        assertEquals(Optional.of("The pods of Job churn-v3-train-1 do not meet Pod Security \"restricted\":"
                + " ModelVersion churn-v3 spec.source.train.securityContext.runAsNonRoot: false (allowed up to baseline by the"
                + " operator's setting modelops.jobs.pod-security)"),
                templates(PodSecurityLevel.baseline).notRestricted(fromVersion, "Job churn-v3-train-1"));
        assertEquals(Optional.empty(), templates(PodSecurityLevel.baseline).notRestricted(request(null), "Job x"));
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

    private static ContainerTemplate securityContext(SecurityContext context) {
        ContainerTemplate template = new ContainerTemplate();
        template.setSecurityContext(context);
        return template;
    }

    private static PodTemplates templates(PodSecurityLevel level) {
        return new PodTemplates(settings(level, List.of()));
    }

    private static JobSettings settings(PodSecurityLevel level, List<String> accounts) {
        return new TestJobSettings(level, accounts);
    }
}
