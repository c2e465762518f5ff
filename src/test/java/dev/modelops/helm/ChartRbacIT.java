package dev.modelops.helm;

import dev.modelops.testing.OperatorRequests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.modelops.helm.ChartTest.FULLNAME;
import static dev.modelops.helm.HelmChart.all;
import static dev.modelops.helm.HelmChart.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's RBAC against what the operator did: every request its client made in the test suites (kept by
 * {@link OperatorRequests}) is allowed by the rendered rules, and the rules allow nothing it never asked. Runs after
 * the suites ({@code ./mvnw verify}).
 */
class ChartRbacIT {

    /** The API group of each resource the operator may touch; a resource not listed fails the check. */
    private static final Map<String, String> GROUPS = Map.ofEntries(
            Map.entry("modeljobs", "modelops.dev"), Map.entry("modeljobs/status", "modelops.dev"),
            Map.entry("modelversions", "modelops.dev"), Map.entry("modelversions/status", "modelops.dev"),
            Map.entry("batchpredictions", "modelops.dev"), Map.entry("batchpredictions/status", "modelops.dev"),
            Map.entry("jobs", "batch"), Map.entry("cronjobs", "batch"),
            Map.entry("deployments", "apps"),
            Map.entry("leases", "coordination.k8s.io"),
            Map.entry("customresourcedefinitions", "apiextensions.k8s.io"),
            Map.entry("pods", ""), Map.entry("pods/log", ""), Map.entry("configmaps", ""), Map.entry("services", ""),
            Map.entry("events", ""), Map.entry("namespaces", ""),
            Map.entry("selfsubjectrulesreviews", "authorization.k8s.io"));

    /** Allowed to every authenticated user by Kubernetes' own roles: the chart need not grant them. */
    private static final Set<String> BUILT_IN = Set.of(
            // JOSDK asks which lease verbs it has before it starts leader election (system:basic-user allows it)
            "authorization.k8s.io selfsubjectrulesreviews create");

    /** Granted though never requested: JOSDK refuses to start leader election unless the rules review shows it. */
    private static final Set<String> CHECKED_AT_START = Set.of("coordination.k8s.io leases update");

    /**
     * Granted for a path that only a race reaches: a request (Approve, Deploy ...) whose cached version would refuse it
     * reads the version from the API server (RequestedVersion), which a suite's run may or may not need.
     */
    private static final Set<String> ON_A_RACE = Set.of("modelops.dev modelversions get");

    private static Set<String> used;

    @BeforeAll
    static void readWhatTheOperatorAsked() throws IOException {
        assertTrue(Files.exists(OperatorRequests.FILE), OperatorRequests.FILE
                + " is missing: it is written by the test suites, run them first (./mvnw verify)");
        used = new TreeSet<>();
        for (String line : Files.readAllLines(OperatorRequests.FILE)) {
            String[] verbAndResource = line.split(" ", 2);
            if (verbAndResource[1].startsWith("/")) {
                continue; // discovery and version: granted to every authenticated user (system:discovery)
            }
            assertFalse(verbAndResource[1].startsWith("secrets"), "the operator asked for " + line
                    + ": it must never read Secrets (a pod's env names them; the kubelet reads them)");
            assertTrue(GROUPS.containsKey(verbAndResource[1]), "the operator asked for " + line
                    + ", a resource this check does not know: add its API group and a rule to the chart");
            used.add(grant(GROUPS.get(verbAndResource[1]), verbAndResource[1], verbAndResource[0]));
        }
        used.removeAll(BUILT_IN);
        used.addAll(CHECKED_AT_START);
        used.addAll(ON_A_RACE);
        System.out.println("The operator's requests in the suites: " + used);
    }

    @Test
    void clusterWideTheChartGrantsExactlyWhatTheOperatorUsed() {
        List<HasMetadata> objects = HelmChart.render(Map.of());
        List<PolicyRule> rules = Stream.of(find(objects, ClusterRole.class, FULLNAME).getRules(),
                find(objects, ClusterRole.class, FULLNAME + "-crds").getRules(),
                find(objects, Role.class, FULLNAME + "-leader-election").getRules())
                .flatMap(List::stream).toList();
        assertEquals(used, grants(rules), "left: what the operator used; right: what the chart grants");
    }

    @Test
    void inWatchedNamespacesEachRoleGrantsExactlyWhatTheOperatorUsed() {
        List<HasMetadata> objects = HelmChart.render(ChartTest.TEAMS);
        List<Role> roles = all(objects, Role.class).stream()
                .filter(role -> role.getMetadata().getName().equals(FULLNAME)).toList();
        assertEquals(2, roles.size());
        for (Role role : roles) {
            List<PolicyRule> rules = Stream.of(role.getRules(),
                    find(objects, ClusterRole.class, FULLNAME + "-crds").getRules(),
                    find(objects, Role.class, FULLNAME + "-leader-election").getRules())
                    .flatMap(List::stream).toList();
            assertEquals(used, grants(rules), role.getMetadata().getNamespace());
        }
    }

    /** Every (group, resource, verb) the rules allow, whatever names they are restricted to. */
    private static Set<String> grants(List<PolicyRule> rules) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    private static String grant(String group, String resource, String verb) {
        return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }
}
