package dev.modelops.api;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The operator's custom resource kinds and their CRDs, as the build generated them (see {@link CrdWriter}). */
public final class Crds {

    public static final List<Class<? extends HasMetadata>> KINDS = List.of(ModelJob.class, ModelVersion.class,
            BatchPrediction.class);
    /** Where the build puts the generated CRDs on the classpath. */
    public static final String CLASSPATH_DIR = "META-INF/modelops/crds";

    private Crds() {
    }

    /** The generated file name of a kind's CRD, such as {@code modeljobs.modelops.dev-v1.yml}. */
    public static String fileName(Class<? extends HasMetadata> kind) {
        return HasMetadata.getFullResourceName(kind) + "-v1.yml";
    }

    /** The CRDs of every kind, read from the classpath. */
    public static List<CustomResourceDefinition> load() {
        return KINDS.stream().map(Crds::load).toList();
    }

    private static CustomResourceDefinition load(Class<? extends HasMetadata> kind) {
        String resource = CLASSPATH_DIR + "/" + fileName(kind);
        try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: run the build (process-classes)");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
