package io.buildq.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of the library Conductor links. */
@AnalyzeClasses(packages = "io.buildq", importOptions = ImportOption.DoNotIncludeTests.class)
class EnqueueApiArchitectureTest {

    /** Each package can be read, and changed, starting from the ones it uses: none uses one that uses it. */
    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("io.buildq.(*)..").should().beFreeOfCycles();
}
