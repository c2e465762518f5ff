package dev.modelops.workload;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

import java.util.List;

/**
 * The security context of the operator's containers: the Pod Security Standard "restricted" by default, refined
 * field by field by a template. {@link PodSecurityStandard} checks what a refinement gives up.
 */
public final class SecurityContexts {

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
}
