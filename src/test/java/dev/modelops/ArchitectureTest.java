package dev.modelops;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.modelops.testing.MainClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.util.Arrays;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The package rules of the style guide (STYLE.md, "Examples to follow here", 1), checked on the operator's and the
 * sandbox's classes: the controllers never import the sandbox (which the compiler already refuses: it is compiled
 * with the tests), the API depends on nothing of ours, the shared package on no controller,
 * the controllers not on each other, plain lifecycle rules on no Kubernetes client or SDK, and no cycles.
 */
class ArchitectureTest {

    private static final String[] CONTROLLERS = {"dev.modelops.modeljob..", "dev.modelops.modelversion..",
            "dev.modelops.batchprediction.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = MainClasses.imported();
    }

    /** The sandbox's classes sit among the tests' in target/test-classes; the rules below must see them. */
    @Test
    void theRulesSeeTheSandbox() {
        assertFalse(classes.that(resideInAPackage("dev.modelops.sandbox.server..")).isEmpty());
    }

    @Test
    void onlyTheSandboxDependsOnTheSandbox() {
        check(noClasses().that().resideOutsideOfPackage("dev.modelops.sandbox..")
                .should().dependOnClassesThat().resideInAPackage("dev.modelops.sandbox.."));
    }

    /**
     * The sandbox is compiled with the tests, but ./sandbox packages it without them (the Maven profile sandbox), where
     * a test library or a test class it used would be missing.
     */
    @Test
    void theSandboxUsesNoTestLibraryAndNoTestClass() {
        DescribedPredicate<JavaClass> testClass = DescribedPredicate.describe("are test classes", target -> {
            JavaClass type = target.getBaseComponentType();
            return type.getPackageName().startsWith("dev.modelops") && !classes.contain(type.getName());
        });
        check(noClasses().that().resideInAPackage("dev.modelops.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.awaitility..",
                        "io.quarkus.test..", "com.tngtech.archunit..", "com.marcnuri.helm..", "org.luaj..")
                .orShould().dependOnClassesThat(testClass));
    }

    @Test
    void theApiDependsOnNoOtherPackageOfOurs() {
        check(noClasses().that().resideInAPackage("dev.modelops.api..")
                .should().dependOnClassesThat(resideInAPackage("dev.modelops..")
                        .and(not(resideInAPackage("dev.modelops.api..")))));
    }

    @Test
    void theSharedPackagesDependOnNoController() {
        check(noClasses().that().resideInAnyPackage("dev.modelops.common..", "dev.modelops.lifecycle..",
                        "dev.modelops.workload..", "dev.modelops.cache..")
                .should().dependOnClassesThat().resideInAnyPackage(CONTROLLERS));
    }

    @Test
    void lifecycleRulesDependOnlyOnTheApi() {
        check(noClasses().that().resideInAPackage("dev.modelops.lifecycle..")
                .should().dependOnClassesThat(resideInAPackage("dev.modelops..")
                        .and(not(resideInAnyPackage("dev.modelops.api..", "dev.modelops.lifecycle..")))));
    }

    @Test
    void controllersDoNotDependOnEachOther() {
        for (String controller : CONTROLLERS) {
            String[] others = Arrays.stream(CONTROLLERS).filter(other -> !other.equals(controller))
                    .toArray(String[]::new);
            check(noClasses().that().resideInAPackage(controller)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true));
        }
    }

    @Test
    void lifecycleRulesUseNoKubernetesClientOrSdk() {
        check(noClasses().that().resideInAPackage("dev.modelops.lifecycle..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..",
                        "io.javaoperatorsdk..")
                .allowEmptyShould(true));
    }

    @Test
    void noCyclesBetweenOurPackages() {
        check(slices().matching("dev.modelops.(*)..").should().beFreeOfCycles());
    }

    /**
     * Reflection into a library's classes only in the cache package, where a measurement shows what it saves
     * (bench.CacheFootprint: sharing fabric8's empty collections, 5.4 MiB at 10,000 ended jobs).
     */
    @Test
    void reflectionIntoOtherClassesOnlyInTheCache() {
        check(noClasses().that().resideOutsideOfPackage("dev.modelops.cache..")
                .should().callMethod(Field.class, "setAccessible", boolean.class)
                .orShould().callMethod(AccessibleObject.class, "setAccessible", boolean.class)
                .orShould().callMethod(Field.class, "trySetAccessible")
                .orShould().callMethod(AccessibleObject.class, "trySetAccessible"));
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
