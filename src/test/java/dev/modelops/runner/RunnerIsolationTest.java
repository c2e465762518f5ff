package dev.modelops.runner;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.modelops.testing.MainClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The runner's libraries (ONNX Runtime, Tribuo, DuckDB, the AWS SDK) are provided-scope: the operator's quarkus-app
 * leaves them out, which is safe only while no operator class reaches the runner or them. And the runner stands
 * alone: its distribution holds its own classes only, so it uses none of the operator's.
 */
class RunnerIsolationTest {

    private static final JavaClasses CLASSES = MainClasses.imported();

    @Test
    void theOperatorNeverUsesTheRunnerOrItsLibraries() {
        noClasses().that().resideOutsideOfPackage("dev.modelops.runner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modelops.runner..", "ai.onnxruntime..",
                        "org.tribuo..", "org.duckdb..", "software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void theRunnerUsesNoOperatorClass() {
        noClasses().that().resideInAPackage("dev.modelops.runner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modelops.api..", "dev.modelops.common..",
                        "dev.modelops.modeljob..", "dev.modelops.modelversion..", "dev.modelops.batchprediction..",
                        "dev.modelops.workload..", "dev.modelops.lifecycle..", "dev.modelops.cache..",
                        "dev.modelops.operator..", "dev.modelops.sandbox..", "io.fabric8..", "io.quarkus..")
                .check(CLASSES);
    }
}
