package dev.modelops.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The project's chart, linted and rendered by Helm's own engine (helm-java), as {@code helm template} would. */
public final class HelmChart {

    public static final Path CHART = Path.of("helm", "modelops-operator");
    public static final String RELEASE = "modelops";
    public static final String NAMESPACE = "modelops";
    /** The oldest Kubernetes the chart admits ({@code kubeVersion} in Chart.yaml). */
    private static final String KUBE_VERSION = "1.29.0";

    private HelmChart() {
    }

    public static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** The objects {@code helm template modelops helm/modelops-operator -n modelops --set ...} renders, CRDs left out. */
    public static List<HasMetadata> render(Map<String, Object> values) {
        return parse(renderYaml(values));
    }

    public static String renderYaml(Map<String, Object> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).skipCrds();
        values.forEach(template::set);
        return template.call();
    }

    /** Each YAML document of the output (Helm separates them with {@code ---} and a {@code # Source:} comment). */
    static List<HasMetadata> parse(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#")))
                .map(document -> (HasMetadata) Serialization.unmarshal(document))
                .toList();
    }

    /** The one rendered object of this kind and name. */
    public static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(object -> object.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in " + names(objects)));
    }

    public static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
