package dev.modelops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.sandbox.admission.AdmissionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.modelops.api.AdmissionFixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every manifest under {@code examples/} is accepted as written: schema and CEL rules pass, nothing is pruned. */
class ExamplesAreValidTest {

    private static final Path EXAMPLES = Path.of("examples");
    private static final Set<String> SANDBOX_ANNOTATIONS = Set.of("sandbox.modelops.dev/pending",
            "sandbox.modelops.dev/duration", "sandbox.modelops.dev/exit-code", "sandbox.modelops.dev/log",
            "sandbox.modelops.dev/termination-message");

    record Example(String name, JsonNode object) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Example> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Example> examples = new ArrayList<>();
            files.filter(file -> file.toString().endsWith(".yaml")).sorted().forEach(file -> {
                List<JsonNode> documents = AdmissionFixtures.documents(read(file));
                for (JsonNode document : documents) {
                    if (VALIDATOR.serves(document.path("apiVersion").asText(), document.path("kind").asText())) {
                        examples.add(new Example(EXAMPLES.relativize(file) + " " + document.path("kind").asText()
                                + "/" + document.path("metadata").path("name").asText(), document));
                    }
                }
            });
            return examples;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIsAccepted(Example example) {
        AdmissionResult result = VALIDATOR.validateCreate(example.object());

        assertEquals(List.of(), result.causes(), result.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleHasNoFieldThatTheApiServerWouldDrop(Example example) {
        JsonNode admitted = VALIDATOR.validateCreate(example.object()).object();

        assertEquals(List.of(), pruned("", example.object(), admitted), "fields unknown to the schema");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void sandboxAnnotationsAreSpelledRight(Example example) {
        List<JsonNode> annotations = example.object().findValues("podAnnotations");
        for (JsonNode podAnnotations : annotations) {
            podAnnotations.fieldNames().forEachRemaining(name -> assertTrue(
                    !name.startsWith("sandbox.modelops.dev/") || SANDBOX_ANNOTATIONS.contains(name),
                    "unknown sandbox annotation " + name));
            JsonNode message = podAnnotations.get("sandbox.modelops.dev/termination-message");
            if (message != null) {
                assertTrue(parse(message.asText()).isObject(), "termination message is a JSON object: " + message);
            }
        }
    }

    @Test
    void everyKindHasAnExample() throws IOException {
        Set<String> kinds = examples().stream().map(example -> example.object().path("kind").asText())
                .collect(Collectors.toSet());

        assertEquals(Set.of("ModelJob", "ModelVersion", "BatchPrediction"), kinds);
    }

    /** The paths of {@code original} that are missing from {@code admitted}. */
    private static List<String> pruned(String path, JsonNode original, JsonNode admitted) {
        List<String> missing = new ArrayList<>();
        if (original.isObject()) {
            original.fields().forEachRemaining(field -> {
                String child = path + "." + field.getKey();
                if (admitted == null || !admitted.has(field.getKey())) {
                    missing.add(child);
                } else {
                    missing.addAll(pruned(child, field.getValue(), admitted.get(field.getKey())));
                }
            });
        } else if (original.isArray()) {
            for (int i = 0; i < original.size(); i++) {
                missing.addAll(pruned(path + "[" + i + "]", original.get(i), admitted.get(i)));
            }
        }
        return missing;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
