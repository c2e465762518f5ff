package dev.modelops.workload;

/** Why no pod can be built from a template: the problem, and a message that names the field and what to do. */
public record TemplateRefusal(Problem problem, String message) {

    public enum Problem {
        /** Neither the template, the ModelVersion's step nor the operator's settings give an image. */
        NoImage,
        /** The security context asks for more than the operator's pod security level allows. */
        PodSecurityExceeded,
        /** The template names a service account that the operator's settings do not allow. */
        ServiceAccountNotAllowed
    }
}
