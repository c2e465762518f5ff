package dev.modelops.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Our classes that are not tests, for ArchUnit: the operator's (src/main/java) and the sandbox's (src/sandbox/java).
 * The sandbox is compiled with the tests, so that the operator's application holds none of it; its classes are told
 * from the tests beside them in target/test-classes by their source file.
 */
public final class MainClasses {

    private static final Path SANDBOX_SOURCES = Path.of("src/sandbox/java");
    private static final String TEST_CLASSES = "/test-classes/";

    private MainClasses() {
    }

    public static JavaClasses imported() {
        return new ClassFileImporter().withImportOption(MainClasses::isMainOrSandbox).importPackages("dev.modelops");
    }

    private static boolean isMainOrSandbox(Location location) {
        return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) || isSandbox(location);
    }

    private static boolean isSandbox(Location location) {
        String uri = location.asURI().toString();
        int classes = uri.lastIndexOf(TEST_CLASSES);
        if (classes < 0 || !uri.endsWith(".class")) {
            return false;
        }
        String name = uri.substring(classes + TEST_CLASSES.length(), uri.length() - ".class".length());
        int nested = name.indexOf('$');
        String topLevel = nested < 0 ? name : name.substring(0, nested);
        return Files.isRegularFile(SANDBOX_SOURCES.resolve(topLevel + ".java"));
    }
}
