package dev.modelops.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.modelversion.LifecycleMetricsTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's Grafana dashboard asks only for metrics the operator exposes: every metric its queries name was in the
 * scrape of {@link LifecycleMetricsTest}. Runs after the suites ({@code ./mvnw verify}).
 */
class DashboardIT {

    private static final Pattern METRIC = Pattern.compile("\\b(modelops_[a-z_]+|operator_sdk_[a-z_]+)\\b");

    @Test
    void everyQueryNamesAMetricTheOperatorExposes() throws Exception {
        assertTrue(Files.exists(LifecycleMetricsTest.SCRAPED), LifecycleMetricsTest.SCRAPED
                + " is missing: it is written by LifecycleMetricsTest, run the suites first (./mvnw verify)");
        Set<String> scraped = new TreeSet<>(Files.readAllLines(LifecycleMetricsTest.SCRAPED));
        JsonNode dashboard = new ObjectMapper().readTree(
                HelmChart.CHART.resolve("dashboards").resolve("modelops-operator.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        assertFalse(queries.isEmpty());
        Set<String> named = new TreeSet<>();
        for (String query : queries) {
            Matcher metric = METRIC.matcher(query);
            boolean any = false;
            while (metric.find()) {
                named.add(metric.group(1));
                any = true;
            }
            assertTrue(any, "a query that names none of the operator's metrics: " + query);
        }
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(scraped);
        assertEquals(Set.of(), unknown, "queried but not exposed; the scrape had " + scraped);
    }
}
