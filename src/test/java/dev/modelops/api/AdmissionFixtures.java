package dev.modelops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.modelops.sandbox.admission.CustomResourceValidator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The validator of the generated CRDs, built once, and YAML reading for the admission tests. */
final class AdmissionFixtures {

    static final CustomResourceValidator VALIDATOR = CustomResourceValidator.of(Crds.load());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private AdmissionFixtures() {
    }

    /** The non-empty documents of a YAML stream, as JSON trees. */
    static List<JsonNode> documents(String yaml) {
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(document -> {
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
