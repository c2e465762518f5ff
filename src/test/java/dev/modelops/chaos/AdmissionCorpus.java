package dev.modelops.chaos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The admission corpus ({@code src/test/resources/admission/invalid}), sent to the API server while the operator is
 * killed and the faults fly: every manifest must be refused with the message its {@code # expect:} line gives (a
 * file with two documents creates the first and updates it to the second). Each runs in a namespace of its own, as
 * their names repeat. A manifest admitted, or refused for another reason, is a bad input without its refusal.
 */
final class AdmissionCorpus implements Workload {

    static final Path DIRECTORY = Path.of("src", "test", "resources", "admission", "invalid");
    private static final String EXPECT = "# expect: ";

    private record Manifest(String file, String expected, List<GenericKubernetesResource> documents) {
    }

    private final List<Manifest> manifests;
    private final List<String> problems = new ArrayList<>();
    private int rejected;

    AdmissionCorpus() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            this.manifests = files.filter(file -> file.toString().endsWith(".yaml")).sorted()
                    .map(AdmissionCorpus::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Manifest read(Path file) {
        try {
            String yaml = Files.readString(file);
            String expected = yaml.lines().filter(line -> line.startsWith(EXPECT))
                    .map(line -> line.substring(EXPECT.length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(file + " has no '" + EXPECT + "' line"));
            List<GenericKubernetesResource> documents = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                    .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                    .map(document -> Serialization.unmarshal(document, GenericKubernetesResource.class)).toList();
            return new Manifest(file.getFileName().toString(), expected, documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start(HarnessApi api) {
        for (int i = 0; i < manifests.size(); i++) {
            Manifest manifest = manifests.get(i);
            String namespace = "admission-" + i;
            api.create(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build());
            List<GenericKubernetesResource> documents = manifest.documents().stream().map(document -> {
                document.getMetadata().setNamespace(namespace);
                return document;
            }).toList();
            if (documents.size() == 2) {
                api.create(documents.get(0));
                GenericKubernetesResource stored = api.call("get " + manifest.file(),
                        () -> api.client().resource(documents.get(0)).get());
                documents.get(1).getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
            }
            refused(api, manifest, documents.get(documents.size() - 1), documents.size() == 2);
        }
    }

    private void refused(HarnessApi api, Manifest manifest, GenericKubernetesResource document, boolean update) {
        while (true) {
            try {
                if (update) {
                    api.client().resource(document).update();
                } else {
                    api.client().resource(document).create();
                }
                problems.add(manifest.file() + " was admitted");
                return;
            } catch (KubernetesClientException e) {
                if (HarnessApi.passing(e)) {
                    HarnessApi.sleep(100);
                    if (update && e.getCode() == 409) { // the operator wrote its status meanwhile
                        document.getMetadata().setResourceVersion(api.call("get " + manifest.file(),
                                () -> api.client().resource(document).get()).getMetadata().getResourceVersion());
                    }
                    continue;
                }
                String message = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
                if (e.getCode() == 422 && manifest.expected().equals(message)) {
                    rejected++;
                } else {
                    problems.add(manifest.file() + " was refused with HTTP " + e.getCode() + " \"" + message
                            + "\", expected \"" + manifest.expected() + "\"");
                }
                return;
            }
        }
    }

    int rejected() {
        return rejected;
    }

    int manifests() {
        return manifests.size();
    }

    @Override
    public void step(Snapshot seen, HarnessApi api) {
    }

    @Override
    public boolean settled(Snapshot seen) {
        return true;
    }

    @Override
    public void check(Snapshot end, Launches launches, Defects defects) {
        problems.forEach(problem -> defects.lost("admission", problem));
    }
}
