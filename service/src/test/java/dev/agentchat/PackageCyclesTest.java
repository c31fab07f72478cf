package dev.agentchat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The service's packages are features (room, hosting, presence, messages, stream, limits, redis,
 * ...) that depend on each other in one direction only: a new cycle between two of them fails here.
 */
class PackageCyclesTest {

    @Test
    void featurePackagesHaveNoDependencyCycles() {
        JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agentchat");
        slices().matching("dev.agentchat.(*)..").should().beFreeOfCycles().check(classes);
    }
}
