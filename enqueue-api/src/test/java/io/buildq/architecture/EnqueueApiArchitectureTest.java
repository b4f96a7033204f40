package io.buildq.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The dependency rules of the library Conductor links. */
@AnalyzeClasses(packages = "io.buildq", importOptions = ImportOption.DoNotIncludeTests.class)
class EnqueueApiArchitectureTest {

    /** Each package can be read, and changed, starting from the ones it uses: none uses one that uses it. */
    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("io.buildq.(*)..").should().beFreeOfCycles();

    /** The packages Conductor programs against: what the README documents. */
    private static final String[] API_PACKAGES = {"io.buildq.api", "io.buildq.build", "io.buildq.push",
            "io.buildq.status", "io.buildq.catalog", "io.buildq.error", "io.buildq.secret"};
    /** The few types of other packages the API hands out or takes. */
    private static final Set<String> API_TYPES_ELSEWHERE = Set.of("io.buildq.queue.EnqueueListener",
            "okhttp3.OkHttpClient", "javax.sql.DataSource");

    /**
     * The API speaks only in API types: no public method or constructor of an API package takes or
     * returns the worker's machinery (JobStore, JobRow, JobEnqueuer, ...), so that what Conductor
     * can reach stays what the README documents, and the machinery can change behind it.
     */
    @ArchTest
    static final ArchRule theApiSpeaksOnlyInApiTypes = codeUnits()
            .that(new DescribedPredicate<JavaCodeUnit>("are public and declared in a public class of an API package") {
                @Override
                public boolean test(JavaCodeUnit unit) {
                    return unit.getModifiers().contains(JavaModifier.PUBLIC)
                            && unit.getOwner().getModifiers().contains(JavaModifier.PUBLIC)
                            && unit.getOwner().getPackageName().matches(String.join("|", API_PACKAGES).replace(".", "\\."));
                }
            })
            .should(new ArchCondition<JavaCodeUnit>("take and return only API types") {
                @Override
                public void check(JavaCodeUnit unit, ConditionEvents events) {
                    List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
                    types.add(unit.getRawReturnType());
                    for (JavaClass type : types) {
                        if (!isApiType(type)) {
                            events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + type.getName()));
                        }
                    }
                }
            });

    /**
     * Every class of the library is API, a JobRunr job (whose name JobRunr stores), or machinery under
     * {@code io.buildq.internal}: a new package has to say which it is.
     */
    @ArchTest
    static final ArchRule everyClassIsApiJobOrInternal = classes()
            .that().resideOutsideOfPackages("io.buildq.migrations..", "io.buildq.sim..", "io.buildq.testing..") // other modules
            .should().resideInAnyPackage(Stream.concat(Stream.of(API_PACKAGES), Stream.of("io.buildq.queue",
                    "io.buildq.internal..")).toArray(String[]::new));

    private static boolean isApiType(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        String name = base.getName();
        if (base.isPrimitive() || name.startsWith("java.") || API_TYPES_ELSEWHERE.contains(name)) {
            return true;
        }
        for (String apiPackage : API_PACKAGES) {
            if (base.getPackageName().equals(apiPackage)) {
                return true;
            }
        }
        return false;
    }
}
