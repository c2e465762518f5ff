package dev.modelops.testing;

import dev.modelops.common.Labels;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.workload.PodSecurityStandard;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps, for every embedded API server the tests started, each workload the operator made (the Jobs, CronJobs and
 * Deployments labelled as its own) with what its pod template gives up of Pod Security "restricted" and whether the
 * resource it belongs to said so in a {@code PodSecurityRelaxed} Warning, in {@code target/pod-security/workloads.txt}.
 * The test run starts the file afresh; {@code OperatorPodsAreRestrictedIT} then checks it, as {@link OperatorRequests}
 * and {@code ChartRbacIT} do for RBAC.
 */
public final class OperatorWorkloads {

    public static final Path FILE = Path.of("target", "pod-security", "workloads.txt");
    /** How a line of a workload that is restricted ends. */
    public static final String RESTRICTED = ": restricted";
    /** How a line of a workload below restricted whose owner says so in a Warning goes on. */
    public static final String WARNED = ": relaxed, and its owner's Warning says so: ";
    /** How a line of a workload below restricted that nobody was told about goes on. */
    public static final String UNTOLD = ": below restricted with no Warning: ";
    private static final String STARTED = "modelops.operator-workloads.started";
    private static final String RELAXED = "PodSecurityRelaxed";

    private OperatorWorkloads() {
    }

    /** Adds the server's workloads to the file; tests run one after the other, so the calls do not overlap. */
    public static void keep(EmbeddedApiServer server) {
        TreeSet<String> lines = new TreeSet<>();
        try (KubernetesClient client = server.newClient("test-pod-security-audit")) {
            Map<String, List<Event>> relaxed = client.v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(event -> RELAXED.equals(event.getReason()))
                    .collect(Collectors.groupingBy(event -> key(event.getInvolvedObject().getKind(),
                            event.getInvolvedObject().getNamespace(), event.getInvolvedObject().getName())));
            audit(client.batch().v1().jobs().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list()
                    .getItems(), job -> job.getSpec().getTemplate(), relaxed, lines);
            audit(client.batch().v1().cronjobs().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list()
                    .getItems(), cronJob -> cronJob.getSpec().getJobTemplate().getSpec().getTemplate(), relaxed, lines);
            audit(client.apps().deployments().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list()
                    .getItems(), deployment -> deployment.getSpec().getTemplate(), relaxed, lines);
        }
        try {
            Files.createDirectories(FILE.getParent());
            if (System.getProperty(STARTED) != null && Files.exists(FILE)) {
                lines.addAll(Files.readAllLines(FILE));
            }
            System.setProperty(STARTED, "true");
            Files.write(FILE, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <W extends HasMetadata> void audit(List<W> workloads, Function<W, PodTemplateSpec> pod,
            Map<String, List<Event>> relaxed, TreeSet<String> lines) {
        for (W workload : workloads) {
            String line = key(workload.getKind(), workload.getMetadata().getNamespace(),
                    workload.getMetadata().getName());
            List<PodSecurityStandard.Violation> violations = PodSecurityStandard.violations(pod.apply(workload));
            if (violations.isEmpty()) {
                lines.add(line + RESTRICTED);
                continue;
            }
            Optional<Event> warning = owner(workload).map(owner -> relaxed.getOrDefault(owner, List.of()))
                    .flatMap(events -> events.stream().findFirst());
            lines.add(line + warning.map(event -> WARNED + event.getMessage()).orElse(UNTOLD + violations));
        }
    }

    /**
     * The resource that tells about the workload's pods: a Job's ModelJob; a CronJob's, and its Jobs', BatchPrediction;
     * a Deployment's ModelVersion.
     */
    private static Optional<String> owner(HasMetadata workload) {
        String namespace = workload.getMetadata().getNamespace();
        Map<String, String> labels = Optional.ofNullable(workload.getMetadata().getLabels()).orElse(Map.of());
        if (labels.containsKey(Labels.BATCH_PREDICTION)) {
            return Optional.of(key("BatchPrediction", namespace, labels.get(Labels.BATCH_PREDICTION)));
        }
        return Optional.ofNullable(workload.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(reference -> Boolean.TRUE.equals(reference.getController())).findFirst()
                .map(controller -> key(controller.getKind(), namespace, controller.getName()));
    }

    private static String key(String kind, String namespace, String name) {
        return kind + " " + namespace + "/" + name;
    }
}
