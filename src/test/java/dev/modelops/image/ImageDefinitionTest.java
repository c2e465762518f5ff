package dev.modelops.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each image has two definitions, its Dockerfile (for {@code docker build}, and read by the benchmark and the chaos
 * suite for the operator's JVM options) and the Jib build of the {@code image} Maven profile: they must make the same
 * image. Jib's build cannot run here (no registry), so this compares what each says.
 */
class ImageDefinitionTest {

    private static final Pattern INSTRUCTION = Pattern.compile("^(FROM|USER|WORKDIR|EXPOSE|ENTRYPOINT|COPY|ENV) (.*)$",
            Pattern.MULTILINE);
    private static final Pattern ENV = Pattern.compile("^(\\w+)=(['\"])(.*)\\2$");
    private static final Pattern COPY = Pattern.compile("^(?:--chown=\\d+ )?(\\S+) (\\S+)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    @ParameterizedTest
    @CsvSource({"Dockerfile.jvm, operator-image", "Dockerfile.runner, runner-image"})
    void jibBuildsWhatTheDockerfileBuilds(String dockerfile, String execution) throws Exception {
        Dockerfile docker = Dockerfile.read(Path.of("src", "main", "docker", dockerfile));
        Element jib = jibExecution(execution);

        assertEquals(docker.from, text(jib, "from/image"), "base image");
        assertEquals(docker.user, text(jib, "container/user"), "user");
        assertEquals(docker.workdir, text(jib, "container/workingDirectory"), "working directory");
        assertEquals(docker.exposed, texts(jib, "container/ports/port"), "ports");
        assertEquals(docker.entrypoint, texts(jib, "container/entrypoint/arg"), "entrypoint");
        assertEquals(docker.environment, environment(jib), "environment");

        String from = text(jib, "extraDirectories/paths/path/from")
                .replace("${runner.distribution}", "target/modelops-runner")
                .replace("${project.build.directory}", "target");
        String into = text(jib, "extraDirectories/paths/path/into");
        assertTrue(!docker.copies.isEmpty(), dockerfile + " copies the application");
        docker.copies.forEach((source, target) -> {
            assertTrue(source.startsWith(from), dockerfile + " copies " + source + " from outside Jib's " + from);
            assertTrue(target.startsWith(into), dockerfile + " copies to " + target + ", outside Jib's " + into);
        });
    }

    private static Element jibExecution(String id) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList executions = pom.getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            if (id.equals(text(execution, "id"))) {
                return child(execution, "configuration");
            }
        }
        throw new AssertionError("pom.xml has no execution " + id);
    }

    private static Map<String, String> environment(Element jib) {
        Map<String, String> environment = new LinkedHashMap<>();
        Element variables = find(jib, "container/environment");
        if (variables != null) {
            for (Node node = variables.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element variable) {
                    environment.put(variable.getTagName(), variable.getTextContent());
                }
            }
        }
        return environment;
    }

    private static String text(Element from, String path) {
        Element element = find(from, path);
        return element == null ? null : element.getTextContent().trim();
    }

    private static List<String> texts(Element from, String path) {
        int last = path.lastIndexOf('/');
        Element parent = find(from, path.substring(0, last));
        List<String> texts = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(path.substring(last + 1))) {
                    texts.add(element.getTextContent().trim());
                }
            }
        }
        return texts;
    }

    private static Element find(Element from, String path) {
        Element element = from;
        for (String name : path.split("/")) {
            element = element == null ? null : child(element, name);
        }
        return element;
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    /** The instructions of a Dockerfile that decide what its image runs. */
    private record Dockerfile(String from, String user, String workdir, List<String> exposed, List<String> entrypoint,
            Map<String, String> environment, Map<String, String> copies) {

        static Dockerfile read(Path path) throws Exception {
            String from = null;
            String user = null;
            String workdir = null;
            List<String> exposed = new ArrayList<>();
            List<String> entrypoint = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            Map<String, String> copies = new LinkedHashMap<>();
            Matcher instruction = INSTRUCTION.matcher(Files.readString(path));
            while (instruction.find()) {
                String argument = instruction.group(2).trim();
                switch (instruction.group(1)) {
                    case "FROM" -> from = argument;
                    case "USER" -> user = argument;
                    case "WORKDIR" -> workdir = argument;
                    case "EXPOSE" -> exposed.add(argument);
                    case "ENTRYPOINT" -> {
                        Matcher quoted = QUOTED.matcher(argument);
                        while (quoted.find()) {
                            entrypoint.add(quoted.group(1));
                        }
                    }
                    case "ENV" -> {
                        Matcher variable = ENV.matcher(argument);
                        assertTrue(variable.matches(), path + ": ENV " + argument + " is not NAME=\"value\"");
                        environment.put(variable.group(1), variable.group(3));
                    }
                    case "COPY" -> {
                        Matcher copy = COPY.matcher(argument);
                        assertTrue(copy.matches(), path + ": COPY " + argument);
                        copies.put(copy.group(1), copy.group(2));
                    }
                    default -> throw new AssertionError(instruction.group(1));
                }
            }
            return new Dockerfile(from, user, workdir, exposed, entrypoint, environment, copies);
        }
    }
}
