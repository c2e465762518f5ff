package dev.modelops.helm;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.modelops.helm.HelmChart.CHART;
import static dev.modelops.helm.HelmChart.all;
import static dev.modelops.helm.HelmChart.find;
import static dev.modelops.helm.HelmChart.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart as Helm lints and renders it, read back as the objects a cluster would get. */
class ChartTest {

    static final String FULLNAME = "modelops-modelops-operator";
    static final Map<String, Object> TEAMS = Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b");

    @Test
    void helmLintFindsNothingWrongEvenInStrictMode() {
        LintResult lint = HelmChart.lint();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void theDefaultInstallRunsOneRestrictedReplicaWithProbesResourcesAndAMetricsService() {
        List<HasMetadata> objects = render(Map.of());
        Deployment deployment = find(objects, Deployment.class, FULLNAME);
        assertEquals(1, deployment.getSpec().getReplicas());
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(FULLNAME, pod.getServiceAccountName());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container operator = pod.getContainers().get(0);
        assertEquals("ghcr.io/modelops-dev/modelops-operator:0.1.0", operator.getImage(), "the tag defaults to appVersion");
        assertFalse(operator.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(operator.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), operator.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/q/health/live", operator.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", operator.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", operator.getStartupProbe().getHttpGet().getPath());
        assertEquals(new Quantity("256Mi"), operator.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("512Mi"), operator.getResources().getLimits().get("memory"));
        assertEquals("true", env(operator, "MODELOPS_LEADER_ELECTION_ENABLED"));
        assertEquals(FULLNAME, env(operator, "MODELOPS_LEADER_ELECTION_LEASE_NAME"));
        assertFalse(operator.getEnv().stream().anyMatch(e -> e.getName().equals("QUARKUS_OPERATOR_SDK_NAMESPACES")),
                "all namespaces");

        Service metrics = find(objects, Service.class, FULLNAME + "-metrics");
        assertEquals(8080, metrics.getSpec().getPorts().get(0).getPort());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), metrics.getSpec().getSelector());
        find(objects, ServiceAccount.class, FULLNAME);

        Role lease = find(objects, Role.class, FULLNAME + "-leader-election");
        assertEquals(HelmChart.NAMESPACE, lease.getMetadata().getNamespace());
        assertTrue(lease.getRules().stream().anyMatch(rule -> rule.getResources().contains("leases")
                && rule.getResourceNames().contains(FULLNAME) && rule.getVerbs().containsAll(List.of("get", "update"))));
        find(objects, ClusterRole.class, FULLNAME);
        find(objects, ClusterRole.class, FULLNAME + "-crds");
    }

    @Test
    void noRuleAnywhereUsesAWildcard() {
        Stream.of(Map.<String, Object>of(), TEAMS)
                .flatMap(values -> rules(render(values)).stream())
                .forEach(rule -> Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())
                        .forEach(list -> assertFalse(list.contains("*"), "wildcard in " + rule)));
    }

    /** A template's env may name a Secret; the kubelet reads it for the pod, the operator never does. */
    @Test
    void noRuleAnywhereGrantsSecrets() {
        Stream.of(Map.<String, Object>of(), TEAMS)
                .flatMap(values -> rules(render(values)).stream())
                .forEach(rule -> assertFalse(rule.getResources().stream().anyMatch(r -> r.startsWith("secrets")),
                        "Secrets in " + rule));
    }

    @Test
    void watchNamespacesGivesARoleInEachOfThemAndNoClusterWideRules() {
        List<HasMetadata> objects = render(TEAMS);
        List<Role> roles = all(objects, Role.class).stream()
                .filter(role -> role.getMetadata().getName().equals(FULLNAME)).toList();
        assertEquals(List.of("team-a", "team-b"), roles.stream().map(role -> role.getMetadata().getNamespace()).toList());
        List<RoleBinding> bindings = all(objects, RoleBinding.class).stream()
                .filter(binding -> binding.getMetadata().getName().equals(FULLNAME)).toList();
        assertEquals(2, bindings.size());
        bindings.forEach(binding -> assertEquals(HelmChart.NAMESPACE, binding.getSubjects().get(0).getNamespace()));
        assertEquals(List.of(FULLNAME + "-crds"), all(objects, ClusterRole.class).stream()
                .map(role -> role.getMetadata().getName()).toList(), "only the CRD check is cluster-wide");
        assertEquals(find(render(Map.of()), ClusterRole.class, FULLNAME).getRules(), roles.get(0).getRules());
        Container operator = find(objects, Deployment.class, FULLNAME).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertEquals("team-a,team-b", env(operator, "QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    @Test
    void twoReplicasWithoutLeaderElectionAreRefusedWithHelmsMessage() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> render(Map.of(
                "replicaCount", 2, "leaderElection.enabled", false)));
        assertTrue(refused.getMessage().contains("replicaCount above 1 needs leaderElection.enabled"),
                refused.getMessage());
        assertEquals(2, find(render(Map.of("replicaCount", 2)), Deployment.class, FULLNAME).getSpec().getReplicas());
    }

    @Test
    void valuesOfTheWrongTypeOrUnknownAreRefusedByTheSchemaWithHelmsMessage() {
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> render(Map.of("leaderElection.enabled", "yes")));
        assertTrue(wrongType.getMessage().contains("values don't meet the specifications of the schema"),
                wrongType.getMessage());
        assertTrue(wrongType.getMessage().contains("leaderElection") && wrongType.getMessage().contains("boolean"),
                wrongType.getMessage());
        IllegalStateException misspelt = assertThrows(IllegalStateException.class,
                () -> render(Map.of("watchNamespace[0]", "team-a")));
        assertTrue(misspelt.getMessage().contains("watchNamespace"), misspelt.getMessage());
    }

    @Test
    void everyDocumentedValueReachesWhatItDocuments() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image.repository", "registry.example/modelops");
        values.put("image.tag", "9.9.9");
        values.put("image.pullPolicy", "Always");
        values.put("replicaCount", 3);
        values.put("leaderElection.leaseName", "ops-lease");
        values.put("serviceAccount.name", "ops-sa");
        values.put("resources.requests.cpu", "250m");
        values.put("env[0].name", "MODELOPS_JOBS_RUNNER_IMAGE");
        values.put("env[0].value", "registry.example/runner:1");
        values.put("metrics.service", false);
        values.put("podAnnotations.team", "ml");
        values.put("podLabels.tier", "ops");
        values.put("nodeSelector.pool", "system");
        values.put("tolerations[0].key", "dedicated");
        values.put("tolerations[0].operator", "Exists");
        List<HasMetadata> objects = render(values);

        Deployment deployment = find(objects, Deployment.class, FULLNAME);
        var pod = deployment.getSpec().getTemplate();
        Container operator = pod.getSpec().getContainers().get(0);
        assertEquals("registry.example/modelops:9.9.9", operator.getImage());
        assertEquals("Always", operator.getImagePullPolicy());
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("ops-lease", env(operator, "MODELOPS_LEADER_ELECTION_LEASE_NAME"));
        assertTrue(find(objects, Role.class, FULLNAME + "-leader-election").getRules().stream()
                .anyMatch(rule -> rule.getResourceNames().contains("ops-lease")));
        assertEquals("ops-sa", pod.getSpec().getServiceAccountName());
        find(objects, ServiceAccount.class, "ops-sa");
        assertEquals(new Quantity("250m"), operator.getResources().getRequests().get("cpu"));
        assertEquals("registry.example/runner:1", env(operator, "MODELOPS_JOBS_RUNNER_IMAGE"));
        assertTrue(all(objects, Service.class).isEmpty(), "metrics.service false: no Service");
        assertEquals("ml", pod.getMetadata().getAnnotations().get("team"));
        assertEquals("ops", pod.getMetadata().getLabels().get("tier"));
        assertEquals("system", pod.getSpec().getNodeSelector().get("pool"));
        assertEquals("dedicated", pod.getSpec().getTolerations().get(0).getKey());
    }

    @Test
    void theServiceMonitorAndTheGrafanaDashboardAreThereWhenAskedFor() throws Exception {
        List<HasMetadata> none = render(Map.of());
        assertTrue(none.stream().noneMatch(o -> o.getKind().equals("ServiceMonitor")));
        assertTrue(all(none, ConfigMap.class).isEmpty());

        List<HasMetadata> objects = render(Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.labels.release", "prometheus", "metrics.grafanaDashboard.enabled", true));
        GenericKubernetesResource monitor = find(objects, GenericKubernetesResource.class, FULLNAME);
        assertEquals("ServiceMonitor", monitor.getKind());
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
        Map<String, Object> endpoint = monitor.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals(find(objects, Service.class, FULLNAME + "-metrics").getSpec().getPorts().get(0).getName(),
                endpoint.get("port"));
        ConfigMap dashboard = find(objects, ConfigMap.class, FULLNAME + "-dashboard");
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Files.readString(CHART.resolve("dashboards").resolve("modelops-operator.json")).strip(),
                dashboard.getData().get("modelops-operator.json").strip());
    }

    static List<PolicyRule> rules(List<HasMetadata> objects) {
        return Stream.concat(all(objects, ClusterRole.class).stream().flatMap(role -> role.getRules().stream()),
                all(objects, Role.class).stream().flatMap(role -> role.getRules().stream())).toList();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }
}
