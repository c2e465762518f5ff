package dev.modelops.workload;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The security context of the operator's containers: the Pod Security Standard "restricted" by default, refined
 * field by field by a template, and checked against the most the operator allows. The levels follow
 * kubernetes.io/docs/concepts/security/pod-security-standards for the fields a container's context has.
 */
public final class SecurityContexts {

    /** Capabilities that the baseline level allows a container to add. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> BASELINE_SELINUX_TYPES = Set.of("container_t", "container_init_t",
            "container_kvm_t", "container_engine_t");

    private SecurityContexts() {
    }

    /** Pod Security Standard "restricted". */
    public static SecurityContext restricted() {
        return new SecurityContextBuilder().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    /** The restricted default with each field that the template sets replaced by the template's value. */
    public static SecurityContext refine(SecurityContext template) {
        SecurityContext context = restricted();
        if (template == null) {
            return context;
        }
        SecurityContextBuilder refined = new SecurityContextBuilder(context);
        if (template.getRunAsNonRoot() != null) {
            refined.withRunAsNonRoot(template.getRunAsNonRoot());
        }
        if (template.getRunAsUser() != null) {
            refined.withRunAsUser(template.getRunAsUser());
        }
        if (template.getRunAsGroup() != null) {
            refined.withRunAsGroup(template.getRunAsGroup());
        }
        if (template.getAllowPrivilegeEscalation() != null) {
            refined.withAllowPrivilegeEscalation(template.getAllowPrivilegeEscalation());
        }
        if (template.getPrivileged() != null) {
            refined.withPrivileged(template.getPrivileged());
        }
        if (template.getReadOnlyRootFilesystem() != null) {
            refined.withReadOnlyRootFilesystem(template.getReadOnlyRootFilesystem());
        }
        if (template.getProcMount() != null) {
            refined.withProcMount(template.getProcMount());
        }
        if (template.getSeLinuxOptions() != null) {
            refined.withSeLinuxOptions(template.getSeLinuxOptions());
        }
        if (template.getSeccompProfile() != null) {
            refined.withSeccompProfile(template.getSeccompProfile());
        }
        if (template.getAppArmorProfile() != null) {
            refined.withAppArmorProfile(template.getAppArmorProfile());
        }
        if (template.getWindowsOptions() != null) {
            refined.withWindowsOptions(template.getWindowsOptions());
        }
        Capabilities capabilities = template.getCapabilities();
        if (capabilities != null) {
            refined.withNewCapabilities()
                    .withDrop(capabilities.getDrop() != null && !capabilities.getDrop().isEmpty()
                            ? capabilities.getDrop() : List.of("ALL"))
                    .withAdd(capabilities.getAdd() == null || capabilities.getAdd().isEmpty() ? null
                            : capabilities.getAdd())
                    .endCapabilities();
        }
        return refined.build();
    }

    /**
     * What the context asks for beyond the level, one entry per field, such as {@code privileged: true}; empty when
     * the level allows it all.
     */
    public static List<String> beyond(SecurityContext context, PodSecurityLevel level) {
        List<String> beyond = new ArrayList<>();
        if (level == PodSecurityLevel.privileged) {
            return beyond;
        }
        if (Boolean.TRUE.equals(context.getPrivileged())) {
            beyond.add("privileged: true");
        }
        List<String> added = context.getCapabilities() == null || context.getCapabilities().getAdd() == null
                ? List.of() : context.getCapabilities().getAdd();
        added.stream().filter(c -> !BASELINE_CAPABILITIES.contains(c))
                .forEach(c -> beyond.add("capabilities.add: " + c));
        if (context.getSeLinuxOptions() != null) {
            var selinux = context.getSeLinuxOptions();
            if (selinux.getType() != null && !selinux.getType().isEmpty()
                    && !BASELINE_SELINUX_TYPES.contains(selinux.getType())) {
                beyond.add("seLinuxOptions.type: " + selinux.getType());
            }
            if (selinux.getUser() != null && !selinux.getUser().isEmpty()) {
                beyond.add("seLinuxOptions.user: " + selinux.getUser());
            }
            if (selinux.getRole() != null && !selinux.getRole().isEmpty()) {
                beyond.add("seLinuxOptions.role: " + selinux.getRole());
            }
        }
        if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
            beyond.add("procMount: " + context.getProcMount());
        }
        if (context.getSeccompProfile() != null && "Unconfined".equals(context.getSeccompProfile().getType())) {
            beyond.add("seccompProfile.type: Unconfined");
        }
        if (context.getAppArmorProfile() != null && "Unconfined".equals(context.getAppArmorProfile().getType())) {
            beyond.add("appArmorProfile.type: Unconfined");
        }
        if (context.getWindowsOptions() != null && Boolean.TRUE.equals(context.getWindowsOptions().getHostProcess())) {
            beyond.add("windowsOptions.hostProcess: true");
        }
        if (level == PodSecurityLevel.restricted) {
            beyond.addAll(beyondRestricted(context, added));
        }
        return beyond;
    }

    private static List<String> beyondRestricted(SecurityContext context, List<String> added) {
        List<String> beyond = new ArrayList<>();
        if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            beyond.add("allowPrivilegeEscalation: " + context.getAllowPrivilegeEscalation());
        }
        if (!Boolean.TRUE.equals(context.getRunAsNonRoot())) {
            beyond.add("runAsNonRoot: " + context.getRunAsNonRoot());
        }
        if (Objects.equals(context.getRunAsUser(), 0L)) {
            beyond.add("runAsUser: 0");
        }
        String seccomp = context.getSeccompProfile() == null ? null : context.getSeccompProfile().getType();
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp) && !"Unconfined".equals(seccomp)) {
            beyond.add("seccompProfile.type: " + seccomp);
        }
        List<String> dropped = context.getCapabilities() == null || context.getCapabilities().getDrop() == null
                ? List.of() : context.getCapabilities().getDrop();
        if (!dropped.contains("ALL")) {
            beyond.add("capabilities.drop: " + dropped + " (must include ALL)");
        }
        added.stream().filter(c -> !"NET_BIND_SERVICE".equals(c) && BASELINE_CAPABILITIES.contains(c))
                .forEach(c -> beyond.add("capabilities.add: " + c));
        return beyond;
    }
}
