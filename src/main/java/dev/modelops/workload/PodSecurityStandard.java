package dev.modelops.workload;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Pod Security Standards checked on a pod template, field by field: the controls of the baseline and restricted
 * levels (kubernetes.io/docs/concepts/security/pod-security-standards) as Kubernetes' Pod Security admission checks
 * them for the latest version, with Linux pods in mind. Neither fabric8 nor JOSDK has such a check; Kubernetes' own is
 * Go ({@code k8s.io/pod-security-admission/policy}).
 */
public final class PodSecurityStandard {

    /** Capabilities that baseline allows a container to add; restricted allows only NET_BIND_SERVICE. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> RESTRICTED_CAPABILITIES = Set.of("NET_BIND_SERVICE");
    private static final Set<String> SELINUX_TYPES = Set.of("container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
    private static final Set<String> SECCOMP_CONFINED = Set.of("RuntimeDefault", "Localhost");
    private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
    private static final String UNSET = "unset";

    /**
     * A field of the pod template that breaks the restricted level, such as {@code
     * spec.containers[0].securityContext.runAsNonRoot: false}.
     *
     * @param field the field's path in the pod template
     * @param value its value, or {@code unset} where the level requires a value
     * @param allowedFrom the most restrictive level that allows it: baseline, or privileged
     */
    public record Violation(String field, String value, PodSecurityLevel allowedFrom) {

        @Override
        public String toString() {
            return field + ": " + value;
        }
    }

    private PodSecurityStandard() {
    }

    /** What of the pod breaks the level, in the order of the pod's fields; empty when the level allows the pod. */
    public static List<Violation> beyond(PodTemplateSpec pod, PodSecurityLevel level) {
        return violations(pod).stream().filter(violation -> !level.allows(violation.allowedFrom())).toList();
    }

    /** Everything of the pod that breaks restricted, each with the level that would allow it. */
    public static List<Violation> violations(PodTemplateSpec pod) {
        Checks checks = new Checks();
        PodSpec spec = Optional.ofNullable(pod.getSpec()).orElseGet(PodSpec::new);
        checks.pod(spec);
        checks.annotations(Optional.ofNullable(pod.getMetadata()).map(ObjectMeta::getAnnotations).orElse(Map.of()));
        checks.volumes(Objects.requireNonNullElse(spec.getVolumes(), List.of()));
        boolean podNonRoot = spec.getSecurityContext() != null
                && Boolean.TRUE.equals(spec.getSecurityContext().getRunAsNonRoot());
        boolean podSeccomp = spec.getSecurityContext() != null && spec.getSecurityContext().getSeccompProfile() != null
                && SECCOMP_CONFINED.contains(spec.getSecurityContext().getSeccompProfile().getType());
        containers(spec).forEach((path, container) -> checks.container(path, container, podNonRoot, podSeccomp));
        return checks.found;
    }

    /** Every container of the pod, init and ephemeral ones too, by its path. */
    private static Map<String, Container> containers(PodSpec spec) {
        Map<String, Container> containers = new LinkedHashMap<>();
        List<Container> regular = Objects.requireNonNullElse(spec.getContainers(), List.of());
        for (int i = 0; i < regular.size(); i++) {
            containers.put("spec.containers[" + i + "]", regular.get(i));
        }
        List<Container> init = Objects.requireNonNullElse(spec.getInitContainers(), List.of());
        for (int i = 0; i < init.size(); i++) {
            containers.put("spec.initContainers[" + i + "]", init.get(i));
        }
        List<EphemeralContainer> ephemeral = Objects.requireNonNullElse(spec.getEphemeralContainers(), List.of());
        for (int i = 0; i < ephemeral.size(); i++) {
            EphemeralContainer e = ephemeral.get(i);
            containers.put("spec.ephemeralContainers[" + i + "]", new ContainerBuilder().withName(e.getName())
                    .withSecurityContext(e.getSecurityContext()).withPorts(e.getPorts())
                    .withLivenessProbe(e.getLivenessProbe()).withReadinessProbe(e.getReadinessProbe())
                    .withStartupProbe(e.getStartupProbe()).withLifecycle(e.getLifecycle()).build());
        }
        return containers;
    }

    /** The checks, each adding what breaks it. */
    private static final class Checks {

        final List<Violation> found = new ArrayList<>();

        void add(String field, Object value, PodSecurityLevel allowedFrom) {
            found.add(new Violation(field, value == null ? UNSET : value.toString(), allowedFrom));
        }

        void pod(PodSpec spec) {
            if (Boolean.TRUE.equals(spec.getHostNetwork())) {
                add("spec.hostNetwork", true, PodSecurityLevel.privileged);
            }
            if (Boolean.TRUE.equals(spec.getHostPID())) {
                add("spec.hostPID", true, PodSecurityLevel.privileged);
            }
            if (Boolean.TRUE.equals(spec.getHostIPC())) {
                add("spec.hostIPC", true, PodSecurityLevel.privileged);
            }
            PodSecurityContext context = spec.getSecurityContext();
            if (context == null) {
                return;
            }
            String path = "spec.securityContext";
            if (context.getWindowsOptions() != null && Boolean.TRUE.equals(context.getWindowsOptions().getHostProcess())) {
                add(path + ".windowsOptions.hostProcess", true, PodSecurityLevel.privileged);
            }
            seLinux(path, context.getSeLinuxOptions());
            if (context.getAppArmorProfile() != null && "Unconfined".equals(context.getAppArmorProfile().getType())) {
                add(path + ".appArmorProfile.type", "Unconfined", PodSecurityLevel.privileged);
            }
            Optional.ofNullable(context.getSysctls()).orElse(List.of()).stream()
                    .filter(sysctl -> !SAFE_SYSCTLS.contains(sysctl.getName()))
                    .forEach(sysctl -> add(path + ".sysctls", sysctl.getName(), PodSecurityLevel.privileged));
            if (Boolean.FALSE.equals(context.getRunAsNonRoot())) {
                add(path + ".runAsNonRoot", false, PodSecurityLevel.baseline);
            }
            if (Objects.equals(context.getRunAsUser(), 0L)) {
                add(path + ".runAsUser", 0, PodSecurityLevel.baseline);
            }
            String seccomp = context.getSeccompProfile() == null ? null : context.getSeccompProfile().getType();
            if ("Unconfined".equals(seccomp)) {
                add(path + ".seccompProfile.type", seccomp, PodSecurityLevel.privileged);
            } else if (seccomp != null && !SECCOMP_CONFINED.contains(seccomp)) {
                add(path + ".seccompProfile.type", seccomp, PodSecurityLevel.baseline);
            }
        }

        void annotations(Map<String, String> annotations) {
            annotations.entrySet().stream().filter(a -> a.getKey().startsWith(APPARMOR_ANNOTATION))
                    .filter(a -> !(a.getValue().isEmpty() || a.getValue().equals("runtime/default")
                            || a.getValue().startsWith("localhost/")))
                    .forEach(a -> add("metadata.annotations[" + a.getKey() + "]", a.getValue(),
                            PodSecurityLevel.privileged));
        }

        void volumes(List<Volume> volumes) {
            for (Volume volume : volumes) {
                String path = "spec.volumes[" + volume.getName() + "]";
                if (volume.getHostPath() != null) {
                    add(path + ".hostPath", volume.getHostPath().getPath(), PodSecurityLevel.privileged);
                } else if (volume.getConfigMap() == null && volume.getCsi() == null && volume.getDownwardAPI() == null
                        && volume.getEmptyDir() == null && volume.getEphemeral() == null
                        && volume.getPersistentVolumeClaim() == null && volume.getProjected() == null
                        && volume.getSecret() == null) {
                    add(path, "a volume type other than configMap, csi, downwardAPI, emptyDir, ephemeral,"
                            + " persistentVolumeClaim, projected or secret", PodSecurityLevel.baseline);
                }
            }
        }

        void container(String path, Container container, boolean podNonRoot, boolean podSeccomp) {
            Optional.ofNullable(container.getPorts()).orElse(List.of()).stream().map(ContainerPort::getHostPort)
                    .filter(port -> port != null && port != 0)
                    .forEach(port -> add(path + ".ports.hostPort", port, PodSecurityLevel.privileged));
            probeHost(path + ".livenessProbe", container.getLivenessProbe());
            probeHost(path + ".readinessProbe", container.getReadinessProbe());
            probeHost(path + ".startupProbe", container.getStartupProbe());
            if (container.getLifecycle() != null) {
                handlerHost(path + ".lifecycle.postStart", container.getLifecycle().getPostStart());
                handlerHost(path + ".lifecycle.preStop", container.getLifecycle().getPreStop());
            }
            SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
            String at = path + ".securityContext";
            if (context.getWindowsOptions() != null && Boolean.TRUE.equals(context.getWindowsOptions().getHostProcess())) {
                add(at + ".windowsOptions.hostProcess", true, PodSecurityLevel.privileged);
            }
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                add(at + ".privileged", true, PodSecurityLevel.privileged);
            }
            seLinux(at, context.getSeLinuxOptions());
            if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
                add(at + ".procMount", context.getProcMount(), PodSecurityLevel.privileged);
            }
            if (context.getAppArmorProfile() != null && "Unconfined".equals(context.getAppArmorProfile().getType())) {
                add(at + ".appArmorProfile.type", "Unconfined", PodSecurityLevel.privileged);
            }
            capabilities(at + ".capabilities", context.getCapabilities());
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                add(at + ".allowPrivilegeEscalation", context.getAllowPrivilegeEscalation(), PodSecurityLevel.baseline);
            }
            if (Boolean.FALSE.equals(context.getRunAsNonRoot()) || (context.getRunAsNonRoot() == null && !podNonRoot)) {
                add(at + ".runAsNonRoot", context.getRunAsNonRoot(), PodSecurityLevel.baseline);
            }
            if (Objects.equals(context.getRunAsUser(), 0L)) {
                add(at + ".runAsUser", 0, PodSecurityLevel.baseline);
            }
            String seccomp = context.getSeccompProfile() == null ? null : context.getSeccompProfile().getType();
            if ("Unconfined".equals(seccomp)) {
                add(at + ".seccompProfile.type", seccomp, PodSecurityLevel.privileged);
            } else if (seccomp != null ? !SECCOMP_CONFINED.contains(seccomp) : !podSeccomp) {
                add(at + ".seccompProfile.type", seccomp, PodSecurityLevel.baseline);
            }
        }

        void capabilities(String path, Capabilities capabilities) {
            List<String> added = capabilities == null || capabilities.getAdd() == null ? List.of() : capabilities.getAdd();
            for (String capability : added) {
                if (!BASELINE_CAPABILITIES.contains(capability)) {
                    add(path + ".add", capability, PodSecurityLevel.privileged);
                } else if (!RESTRICTED_CAPABILITIES.contains(capability)) {
                    add(path + ".add", capability, PodSecurityLevel.baseline);
                }
            }
            List<String> dropped = capabilities == null || capabilities.getDrop() == null ? List.of()
                    : capabilities.getDrop();
            if (!dropped.contains("ALL")) {
                add(path + ".drop", dropped.isEmpty() ? null : dropped + " without ALL", PodSecurityLevel.baseline);
            }
        }

        void seLinux(String path, SELinuxOptions options) {
            if (options == null) {
                return;
            }
            if (options.getType() != null && !options.getType().isEmpty() && !SELINUX_TYPES.contains(options.getType())) {
                add(path + ".seLinuxOptions.type", options.getType(), PodSecurityLevel.privileged);
            }
            if (options.getUser() != null && !options.getUser().isEmpty()) {
                add(path + ".seLinuxOptions.user", options.getUser(), PodSecurityLevel.privileged);
            }
            if (options.getRole() != null && !options.getRole().isEmpty()) {
                add(path + ".seLinuxOptions.role", options.getRole(), PodSecurityLevel.privileged);
            }
        }

        void probeHost(String path, Probe probe) {
            if (probe == null) {
                return;
            }
            if (probe.getHttpGet() != null && hasText(probe.getHttpGet().getHost())) {
                add(path + ".httpGet.host", probe.getHttpGet().getHost(), PodSecurityLevel.privileged);
            }
            if (probe.getTcpSocket() != null && hasText(probe.getTcpSocket().getHost())) {
                add(path + ".tcpSocket.host", probe.getTcpSocket().getHost(), PodSecurityLevel.privileged);
            }
        }

        void handlerHost(String path, LifecycleHandler handler) {
            if (handler == null) {
                return;
            }
            if (handler.getHttpGet() != null && hasText(handler.getHttpGet().getHost())) {
                add(path + ".httpGet.host", handler.getHttpGet().getHost(), PodSecurityLevel.privileged);
            }
            if (handler.getTcpSocket() != null && hasText(handler.getTcpSocket().getHost())) {
                add(path + ".tcpSocket.host", handler.getTcpSocket().getHost(), PodSecurityLevel.privileged);
            }
        }

        private static boolean hasText(String value) {
            return value != null && !value.isEmpty();
        }
    }
}
