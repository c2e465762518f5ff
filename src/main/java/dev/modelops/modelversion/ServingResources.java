package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.OnlineServing;
import dev.modelops.common.Labels;
import dev.modelops.common.Names;
import dev.modelops.common.Owners;
import dev.modelops.workload.PodRequest;
import dev.modelops.workload.PodTemplates;
import dev.modelops.workload.TemplateRefusal;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployment and Service that serve a version online: the pod that every step of the operator runs (restricted
 * security, the {@code MODELOPS_*} inputs, the version's labels) from {@code spec.deploy.online}, kept running,
 * ready when its port accepts connections, owned by the version.
 */
final class ServingResources {

    static final String PATH = "spec.deploy.online";
    private static final String PORT_NAME = "http";
    static final String PORT_ENV = "MODELOPS_PORT";
    /** A digest of the Deployment's spec as the operator made it, to see that spec.deploy.online (or a setting) moved. */
    static final String SPEC_DIGEST = "modelops.dev/serving-spec";

    private final PodTemplates pods;

    ServingResources(PodTemplates pods) {
        this.pods = pods;
    }

    /** {@code <version>-serving}: also a Service name, so a DNS label (63 characters, a letter first, no dots). */
    static String name(ModelVersion version) {
        String base = version.getMetadata().getName().replace('.', '-');
        String name = Names.child(Character.isLetter(base.charAt(0)) ? base : "v" + base, "serving", Names.LABEL_MAX);
        return name;
    }

    Optional<TemplateRefusal> refusal(ModelVersion version) {
        return pods.refusal(request(version));
    }

    /** What of the serving pod breaks Pod Security "restricted", if anything; only without a {@link #refusal}. */
    Optional<String> notRestricted(ModelVersion version) {
        return pods.notRestricted(request(version), "Deployment " + name(version));
    }

    Deployment deployment(ModelVersion version, long deadlineSeconds) {
        OnlineServing online = version.getSpec().getDeploy().getOnline();
        int port = port(version);
        PodTemplateSpec template = pods.build(request(version));
        template.getSpec().setRestartPolicy("Always");
        var container = template.getSpec().getContainers().get(0);
        container.setPorts(java.util.List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withName(PORT_NAME).withContainerPort(port).withProtocol("TCP").build()));
        container.setReadinessProbe(new io.fabric8.kubernetes.api.model.ProbeBuilder().withNewTcpSocket()
                .withPort(new IntOrString(port)).endTcpSocket().withPeriodSeconds(5).build());
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name(version)).withNamespace(version.getMetadata().getNamespace())
                .withLabels(labels(version)).withOwnerReferences(Owners.controller(version)).endMetadata()
                .withNewSpec().withReplicas(Optional.ofNullable(online.getReplicas()).orElse(1))
                .withProgressDeadlineSeconds((int) Math.min(Integer.MAX_VALUE, deadlineSeconds))
                .withNewSelector().withMatchLabels(selector(version)).endSelector()
                .withTemplate(template).endSpec().build();
        deployment.getMetadata().setAnnotations(Map.of(SPEC_DIGEST, digest(deployment.getSpec())));
        return deployment;
    }

    /** Whether the Deployment that serves was made from another spec than the one {@link #deployment} makes now. */
    static boolean outdated(Deployment current, Deployment wanted) {
        return !Optional.ofNullable(current.getMetadata().getAnnotations()).map(a -> a.get(SPEC_DIGEST))
                .equals(Optional.of(wanted.getMetadata().getAnnotations().get(SPEC_DIGEST)));
    }

    private static String digest(DeploymentSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    Service service(ModelVersion version) {
        int port = port(version);
        return new ServiceBuilder()
                .withNewMetadata().withName(name(version)).withNamespace(version.getMetadata().getNamespace())
                .withLabels(labels(version)).withOwnerReferences(Owners.controller(version)).endMetadata()
                .withNewSpec().withSelector(selector(version)).addNewPort().withName(PORT_NAME).withPort(port)
                .withTargetPort(new IntOrString(PORT_NAME)).withProtocol("TCP").endPort().endSpec().build();
    }

    /** The serving pod's request; {@code MODELOPS_PORT} tells the runner's serve the port the probe and Service use. */
    private static PodRequest request(ModelVersion version) {
        return new PodRequest(JobType.Deploy, version, version.getSpec().getDeploy().getOnline(), PATH,
                labels(version), Map.of(PORT_ENV, Integer.toString(port(version))));
    }

    private static int port(ModelVersion version) {
        return Optional.ofNullable(version.getSpec().getDeploy().getOnline().getPort()).orElse(8080);
    }

    private static Map<String, String> selector(ModelVersion version) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.SERVING, version.getMetadata().getName());
        return selector;
    }

    private static Map<String, String> labels(ModelVersion version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.MODEL, version.getSpec().getModel());
        labels.put(Labels.MODEL_VERSION, version.getMetadata().getName());
        labels.putAll(selector(version));
        return labels;
    }
}
