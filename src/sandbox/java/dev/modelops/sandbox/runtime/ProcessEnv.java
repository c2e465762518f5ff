package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment of a container run as a local process, as a kubelet builds it: the container's {@code env} in order,
 * {@code valueFrom} read from the pod ({@code fieldRef}) and from the API server ({@code configMapKeyRef},
 * {@code secretKeyRef}); a reference that cannot be resolved and is not {@code optional} fails the start. Not done:
 * {@code envFrom}, {@code resourceFieldRef} and {@code $(VAR)} expansion.
 */
final class ProcessEnv {

    private static final Pattern MAP_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
    /** What a process inherits from the sandbox's environment: enough to find programs, nothing of the user's. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR",
            "JAVA_HOME");

    private final KubernetesClient client;

    /** @param client where ConfigMaps and Secrets are read; null to leave their references out */
    ProcessEnv(KubernetesClient client) {
        this.client = client;
    }

    /** @throws IllegalArgumentException for a reference that is not optional and cannot be resolved */
    Map<String, String> of(Pod pod, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        INHERITED.forEach(name -> Optional.ofNullable(System.getenv(name)).ifPresent(value -> env.put(name, value)));
        env.put("HOSTNAME", pod.getMetadata().getName());
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (variable.getValueFrom() == null) {
                env.put(variable.getName(), Objects.requireNonNullElse(variable.getValue(), ""));
            } else {
                valueFrom(pod, variable.getValueFrom()).ifPresent(value -> env.put(variable.getName(), value));
            }
        }
        return env;
    }

    private Optional<String> valueFrom(Pod pod, EnvVarSource source) {
        if (source.getFieldRef() != null) {
            return Optional.of(field(pod, source.getFieldRef().getFieldPath()));
        }
        if (source.getConfigMapKeyRef() != null && client != null) {
            ConfigMapKeySelector ref = source.getConfigMapKeyRef();
            ConfigMap map = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(ref.getName())
                    .get();
            String value = map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
            return required(value, ref.getOptional(), "couldn't find key " + ref.getKey() + " in ConfigMap "
                    + pod.getMetadata().getNamespace() + "/" + ref.getName());
        }
        if (source.getSecretKeyRef() != null && client != null) {
            SecretKeySelector ref = source.getSecretKeyRef();
            Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(ref.getName()).get();
            String value = secret == null ? null : secretValue(secret, ref.getKey());
            return required(value, ref.getOptional(), "couldn't find key " + ref.getKey() + " in Secret "
                    + pod.getMetadata().getNamespace() + "/" + ref.getName());
        }
        return Optional.empty();
    }

    private static String secretValue(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }

    private static Optional<String> required(String value, Boolean optional, String missing) {
        if (value == null && !Boolean.TRUE.equals(optional)) {
            throw new IllegalArgumentException(missing);
        }
        return Optional.ofNullable(value);
    }

    private static String field(Pod pod, String path) {
        Matcher map = MAP_FIELD.matcher(path);
        if (map.matches()) {
            Map<String, String> values = map.group(1).equals("labels") ? pod.getMetadata().getLabels()
                    : pod.getMetadata().getAnnotations();
            return values == null ? "" : values.getOrDefault(map.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> Kubelet.NODE;
            case "spec.serviceAccountName" -> Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "default");
            case "status.podIP", "status.hostIP", "status.podIPs", "status.hostIPs" -> "127.0.0.1";
            default -> throw new IllegalArgumentException("unsupported fieldRef " + path);
        };
    }
}
