package dev.agentchat.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The CLI's packages (client, follow, messages, output, options, errors, mcp, serve, tunnel, agents)
 * depend on each other in one direction only: a new cycle between two of them fails here.
 */
class PackageCyclesTest {

    @Test
    void featurePackagesHaveNoDependencyCycles() {
        JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agentchat.cli");
        slices().matching("dev.agentchat.cli.(*)..").should().beFreeOfCycles().check(classes);
    }
}
