package dev.modelops.common;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Names the operator's client {@code modelops-operator/<version> (<replica>)}, so that API server audit logs, metrics
 * and the sandbox's request counts tell its calls from those of other fabric8 clients, and one replica's from
 * another's. The replica is its leader election identity, by default the pod's name (HOSTNAME).
 */
@Singleton
public class OperatorUserAgent implements KubernetesConfigCustomizer {

    public static final String PRODUCT = "modelops-operator";

    private final String userAgent;

    OperatorUserAgent(@ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
            @ConfigProperty(name = "modelops.leader-election.identity") Optional<String> identity) {
        this.userAgent = of(version, identity.or(() -> Optional.ofNullable(System.getenv("HOSTNAME"))));
    }

    static String of(String version, Optional<String> replica) {
        return PRODUCT + "/" + version + replica.filter(name -> !name.isBlank()).map(name -> " (" + name + ")")
                .orElse("");
    }

    @Override
    public void customize(Config config) {
        config.setUserAgent(userAgent);
    }
}
