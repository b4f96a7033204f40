package io.buildq.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of the worker, and of what it links. */
@AnalyzeClasses(packages = "io.buildq", importOptions = ImportOption.DoNotIncludeTests.class)
class WorkerArchitectureTest {

    /** No package of the worker or of the library it links uses one that uses it. */
    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("io.buildq.(*)..").should().beFreeOfCycles();

    /** The simulators stand for Image Factory and iwhd: they know nothing of buildq, only of the real APIs. */
    @ArchTest
    static final ArchRule simulatorsKnowNothingOfBuildq = noClasses().that().resideInAPackage("io.buildq.sim..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.buildq.sim..", "java..", "javax..",
                    "com.sun.net.httpserver..", "com.fasterxml.jackson..", "okhttp3..", "okio..", "kotlin..",
                    "org.slf4j..", "org.bouncycastle..", "org.w3c..", "org.xml..");

    /** The worker's job logic reaches factory and iwhd through their clients, never through a simulator. */
    @ArchTest
    static final ArchRule workerNeverUsesASimulator = noClasses().that().resideOutsideOfPackage("io.buildq.sim..")
            .should().dependOnClassesThat().resideInAPackage("io.buildq.sim..");
}
