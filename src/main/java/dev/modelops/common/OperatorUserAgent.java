package dev.modelops.common;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names the operator's client {@code modelops-operator/<version>}, so that API server audit logs, metrics and the
 * sandbox's request counts tell its calls from those of other fabric8 clients.
 */
@Singleton
public class OperatorUserAgent implements KubernetesConfigCustomizer {

    public static final String PRODUCT = "modelops-operator";

    private final String version;

    OperatorUserAgent(@ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.version = version;
    }

    @Override
    public void customize(Config config) {
        config.setUserAgent(PRODUCT + "/" + version);
    }
}
