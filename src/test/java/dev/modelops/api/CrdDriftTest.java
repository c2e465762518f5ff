package dev.modelops.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed CRDs (crds/ and the Helm chart) are exactly what the build generates from the Java classes. */
class CrdDriftTest {

    private static final String HOW_TO_FIX = "regenerate the copies with: ./mvnw -Pupdate-crds process-classes";

    @ParameterizedTest(name = "{0} holds the generated CRDs")
    @ValueSource(strings = {"crds", "helm/modelops-operator/crds"})
    void committedCrdsEqualGeneratedOnes(String directory) throws IOException {
        Set<String> generated = Crds.KINDS.stream()
                .map(Crds::fileName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(generated, filesIn(Path.of(directory)), directory + " must hold one file per CRD; " + HOW_TO_FIX);
        for (String file : generated) {
            assertEquals(generatedText(file), Files.readString(Path.of(directory, file)),
                    directory + "/" + file + " differs from the CRD generated from the Java classes; " + HOW_TO_FIX);
        }
    }

    @ParameterizedTest(name = "{0} reads the same to YAML 1.1 tools such as kubectl and Helm")
    @ValueSource(strings = {"crds", "helm/modelops-operator/crds"})
    void enumValuesStayStringsInYaml11(String directory) throws IOException {
        for (String file : filesIn(Path.of(directory))) {
            Object crd = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of(directory, file)));
            assertEnumsAreStrings(crd, directory + "/" + file);
        }
    }

    /** An unquoted True or False in an enum is a boolean to a YAML 1.1 reader, and the API server refuses it. */
    private static void assertEnumsAreStrings(Object node, String where) {
        if (node instanceof java.util.Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("enum".equals(key) && value instanceof java.util.List<?> values) {
                    values.forEach(v -> assertTrue(v instanceof String, where + ": enum value " + v + " is not a string"));
                } else {
                    assertEnumsAreStrings(value, where);
                }
            });
        } else if (node instanceof java.util.List<?> list) {
            list.forEach(item -> assertEnumsAreStrings(item, where));
        }
    }

    private static Set<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String generatedText(String file) throws IOException {
        try (InputStream in = CrdDriftTest.class.getClassLoader().getResourceAsStream(Crds.CLASSPATH_DIR + "/" + file)) {
            assertNotNull(in, file + " was not generated; the build runs CrdWriter in process-classes");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
