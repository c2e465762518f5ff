package dev.modelops.workload;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Pod Security Standards' controls on pod templates, case by case as Kubernetes' Pod Security admission decides
 * them: what breaks restricted, and whether baseline allows it.
 */
class PodSecurityStandardTest {

    @Test
    void theRestrictedContextMeetsRestricted() {
        assertEquals(List.of(), PodSecurityStandard.violations(pod(restrictedContainer().build())));
    }

    @Test
    void aContainerWithNoContextBreaksEveryRequirementOfRestrictedButNoneOfBaseline() {
        PodTemplateSpec pod = pod(new ContainerBuilder().withName("main").withImage("app:1").build());

        assertEquals(List.of("spec.containers[0].securityContext.capabilities.drop: unset",
                "spec.containers[0].securityContext.allowPrivilegeEscalation: unset",
                "spec.containers[0].securityContext.runAsNonRoot: unset",
                "spec.containers[0].securityContext.seccompProfile.type: unset"), strings(pod, PodSecurityLevel.restricted));
        assertEquals(List.of(), strings(pod, PodSecurityLevel.baseline));
    }

    @Test
    void podLevelNonRootAndSeccompCoverContainersThatDoNotSetThem() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("Localhost")
                .withLocalhostProfile("profiles/app.json").endSeccompProfile().endSecurityContext()
                .addToContainers(new ContainerBuilder().withName("main").withNewSecurityContext()
                        .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                        .endSecurityContext().build())
                .endSpec().build();

        assertEquals(List.of(), PodSecurityStandard.violations(pod));
    }

    @Test
    void aContainerCannotUndoThePodsRestrictions() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                .addToContainers(restrictedContainer().editSecurityContext().withRunAsNonRoot(false).withRunAsUser(0L)
                        .endSecurityContext().build())
                .endSpec().build();

        assertEquals(List.of("spec.containers[0].securityContext.runAsNonRoot: false",
                "spec.containers[0].securityContext.runAsUser: 0"), strings(pod, PodSecurityLevel.restricted));
    }

    @Test
    void capabilitiesBeyondNetBindServiceAreBaselineAndBeyondTheDefaultSetPrivileged() {
        PodTemplateSpec pod = pod(restrictedContainer().editSecurityContext().editCapabilities()
                .withAdd("NET_BIND_SERVICE", "CHOWN", "SYS_ADMIN").endCapabilities().endSecurityContext().build());

        assertEquals(List.of("spec.containers[0].securityContext.capabilities.add: CHOWN",
                "spec.containers[0].securityContext.capabilities.add: SYS_ADMIN"),
                strings(pod, PodSecurityLevel.restricted));
        assertEquals(List.of("spec.containers[0].securityContext.capabilities.add: SYS_ADMIN"),
                strings(pod, PodSecurityLevel.baseline));
    }

    @Test
    void theHostIsOffLimitsBelowPrivileged() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewSpec()
                .withHostNetwork(true).withHostPID(true).withHostIPC(true)
                .addNewVolume().withName("docker").withNewHostPath().withPath("/var/run/docker.sock").endHostPath()
                .endVolume()
                .addToContainers(restrictedContainer().addNewPort().withContainerPort(80).withHostPort(80).endPort()
                        .withNewReadinessProbe().withNewHttpGet().withHost("10.0.0.1").withNewPort(80).endHttpGet()
                        .endReadinessProbe().build())
                .endSpec().build();

        assertEquals(List.of("spec.hostNetwork: true", "spec.hostPID: true", "spec.hostIPC: true",
                "spec.volumes[docker].hostPath: /var/run/docker.sock", "spec.containers[0].ports.hostPort: 80",
                "spec.containers[0].readinessProbe.httpGet.host: 10.0.0.1"), strings(pod, PodSecurityLevel.baseline));
        assertEquals(List.of(), strings(pod, PodSecurityLevel.privileged));
    }

    @Test
    void restrictedAllowsOnlyTheCoreVolumeTypes() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewSpec()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("credentials").withNewSecret().withSecretName("s3").endSecret().endVolume()
                .addNewVolume().withName("share").withNewNfs().withServer("nfs").withPath("/x").endNfs().endVolume()
                .addToContainers(restrictedContainer().build())
                .endSpec().build();

        assertEquals(List.of("spec.volumes[share]: a volume type other than configMap, csi, downwardAPI, emptyDir,"
                + " ephemeral, persistentVolumeClaim, projected or secret"), strings(pod, PodSecurityLevel.restricted));
        assertEquals(List.of(), strings(pod, PodSecurityLevel.baseline));
    }

    @Test
    void unconfinedProfilesSELinuxProcMountAndUnsafeSysctlsNeedPrivileged() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder()
                .withNewMetadata().withAnnotations(Map.of(
                        "container.apparmor.security.beta.kubernetes.io/main", "unconfined",
                        "container.apparmor.security.beta.kubernetes.io/sidecar", "localhost/custom")).endMetadata()
                .withNewSpec().withNewSecurityContext().addNewSysctl().withName("kernel.msgmax").withValue("1")
                .endSysctl().addNewSysctl().withName("net.ipv4.tcp_syncookies").withValue("1").endSysctl()
                .endSecurityContext()
                .addToContainers(restrictedContainer().editSecurityContext()
                        .withNewSeccompProfile().withType("Unconfined").endSeccompProfile()
                        .withNewSeLinuxOptions().withType("spc_t").endSeLinuxOptions()
                        .withProcMount("Unmasked").endSecurityContext().build())
                .endSpec().build();

        assertEquals(List.of("spec.securityContext.sysctls: kernel.msgmax",
                "metadata.annotations[container.apparmor.security.beta.kubernetes.io/main]: unconfined",
                "spec.containers[0].securityContext.seLinuxOptions.type: spc_t",
                "spec.containers[0].securityContext.procMount: Unmasked",
                "spec.containers[0].securityContext.seccompProfile.type: Unconfined"),
                strings(pod, PodSecurityLevel.baseline));
    }

    @Test
    void initContainersAreCheckedLikeTheOthers() {
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewSpec()
                .addToInitContainers(restrictedContainer().withName("fetch").editSecurityContext().withPrivileged(true)
                        .endSecurityContext().build())
                .addToContainers(restrictedContainer().build())
                .endSpec().build();

        assertEquals(List.of("spec.initContainers[0].securityContext.privileged: true"),
                strings(pod, PodSecurityLevel.restricted));
    }

    private static ContainerBuilder restrictedContainer() {
        return new ContainerBuilder().withName("main").withImage("app:1")
                .withSecurityContext(new SecurityContextBuilder(SecurityContexts.restricted()).build());
    }

    private static PodTemplateSpec pod(io.fabric8.kubernetes.api.model.Container container) {
        return new PodTemplateSpecBuilder().withNewSpec().addToContainers(container).endSpec().build();
    }

    private static List<String> strings(PodTemplateSpec pod, PodSecurityLevel level) {
        return PodSecurityStandard.beyond(pod, level).stream().map(PodSecurityStandard.Violation::toString).toList();
    }
}
