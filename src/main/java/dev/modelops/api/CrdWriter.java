package dev.modelops.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRDs of the API classes at build time (see pom.xml), onto the classpath under
 * {@value Crds#CLASSPATH_DIR}; {@code crds/} and the Helm chart hold copies that {@code CrdDriftTest} keeps equal.
 * Build-time only: the CRD generator is not on the operator's runtime classpath.
 */
public final class CrdWriter {

    private CrdWriter() {
    }

    public static void main(String[] args) {
        File outputDir = new File(args[0]);
        if (!outputDir.isDirectory() && !outputDir.mkdirs()) {
            throw new IllegalStateException("cannot create " + outputDir);
        }
        int written = new CRDGenerator()
                .customResourceClasses(Crds.KINDS)
                .forCRDVersions("v1")
                .withPostProcessor(new DeclaredPrinterColumnOrder())
                .inOutputDir(outputDir)
                .generate();
        if (written != Crds.KINDS.size()) {
            throw new IllegalStateException("expected " + Crds.KINDS.size() + " CRDs, generated " + written);
        }
    }

    /** The generator sorts printer columns by JSON path; kubectl shows them in the order the class declares them. */
    static final class DeclaredPrinterColumnOrder implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
            CustomResourceDefinition crd = (CustomResourceDefinition) resource;
            Class<?> kind = Crds.KINDS.stream()
                    .filter(k -> HasMetadata.getKind(k).equals(crd.getSpec().getNames().getKind()))
                    .findFirst().orElseThrow();
            List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).toList();
            crd.getSpec().getVersions().forEach(version -> version.getAdditionalPrinterColumns()
                    .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName()))));
            return crd;
        }
    }
}
