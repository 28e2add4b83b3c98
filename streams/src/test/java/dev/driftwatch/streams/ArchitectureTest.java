package dev.driftwatch.streams;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of the streams module: its packages form no cycle (each package, the root one
 * too, is a slice), and the stages in {@code internals} name no signal: they only window, route and loop
 * over the signals registered in {@code app.SignalRegistry}.
 */
@AnalyzeClasses(packages = "dev.driftwatch.streams", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The packages that each hold one signal. */
    static final String[] SIGNAL_PACKAGES = {"dev.driftwatch.streams.drift..", "dev.driftwatch.streams.business..",
        "dev.driftwatch.streams.slo..", "dev.driftwatch.streams.roles..", "dev.driftwatch.streams.review.."};

    @ArchTest
    static final ArchRule shouldHaveNoPackageCycles = slices().matching("dev.driftwatch.(**)")
            .namingSlices("package $1").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule shouldKeepSignalsOutOfTheStages = noClasses()
            .that().resideInAPackage("dev.driftwatch.streams.internals..")
            .should().dependOnClassesThat().resideInAnyPackage(SIGNAL_PACKAGES)
            .because("the stages loop over the registered signals and never name one");
}
