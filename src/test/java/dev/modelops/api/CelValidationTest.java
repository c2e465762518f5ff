package dev.modelops.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.admission.AdmissionResult;
import dev.modelops.sandbox.admission.RuleReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.modelops.api.AdmissionFixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of the generated CRDs, exercised as an API server would: each manifest under
 * {@code admission/invalid} is refused with the message in its {@code # expect:} comment. A file with two documents
 * is an update from the first to the second.
 */
class CelValidationTest {

    private static final String EXPECT = "# expect: ";

    record InvalidManifest(String file, String expectedMessage, List<JsonNode> documents) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<InvalidManifest> invalidManifests() throws IOException, URISyntaxException {
        Path dir = Path.of(CelValidationTest.class.getResource("/admission/invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().map(CelValidationTest::read)
                    .toList().stream();
        }
    }

    private static InvalidManifest read(Path file) {
        try {
            String yaml = Files.readString(file);
            String expected = yaml.lines().filter(line -> line.startsWith(EXPECT))
                    .map(line -> line.substring(EXPECT.length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(file + " has no '" + EXPECT + "' line"));
            return new InvalidManifest(file.getFileName().toString(), expected, AdmissionFixtures.documents(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void invalidManifestIsRefusedWithItsMessage(InvalidManifest manifest) {
        List<JsonNode> documents = manifest.documents();
        AdmissionResult result = documents.size() == 1
                ? VALIDATOR.validateCreate(documents.get(0))
                : VALIDATOR.validateUpdate(documents.get(1), documents.get(0));

        assertFalse(result.allowed(), "refused");
        assertEquals(manifest.expectedMessage(), result.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void updateManifestsStartFromAValidObject(InvalidManifest manifest) {
        if (manifest.documents().size() == 2) {
            assertEquals(List.of(), VALIDATOR.validateCreate(manifest.documents().get(0)).causes());
        }
    }

    @Test
    void manifestsCoverEveryKind() throws IOException, URISyntaxException {
        Map<String, Long> perKind = invalidManifests()
                .collect(Collectors.groupingBy(m -> m.documents().get(0).path("kind").asText(), Collectors.counting()));

        assertEquals(Set.of("ModelJob", "ModelVersion", "BatchPrediction"), perKind.keySet());
        perKind.forEach((kind, count) -> assertTrue(count >= 8, kind + " has only " + count + " invalid manifests"));
    }

    @Test
    void everyRuleOfTheGeneratedCrdsCompiles() {
        List<RuleReport> rules = VALIDATOR.rules();

        assertTrue(rules.size() >= 28, "rules found: " + rules.size());
        assertEquals(List.of(), rules.stream().filter(rule -> !rule.compiled())
                .map(rule -> rule + " -> " + rule.compileError()).toList());
    }

    @Test
    void everyRuleHasAMessage() {
        assertEquals(List.of(), VALIDATOR.rules().stream()
                .filter(rule -> rule.message() == null || rule.message().isBlank()).map(RuleReport::toString).toList());
    }

    @Test
    void everyRuleIsExercisedByAnInvalidManifest() throws IOException, URISyntaxException {
        String expectedMessages = invalidManifests().map(InvalidManifest::expectedMessage)
                .collect(Collectors.joining("\n"));

        assertEquals(List.of(), VALIDATOR.rules().stream().map(RuleReport::message).distinct()
                .filter(message -> !expectedMessages.contains(message.strip())).toList(),
                "rules whose message no invalid manifest expects");
    }

}
