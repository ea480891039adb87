package net.goldentooth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a deliberate violation (the classes under {@code fixtures}), so a rule that
 * silently stopped matching anything would be caught here, and passes once the violation is gone.
 */
class RulesCatchViolationsTest {

    private static final String FIXTURES = "net.goldentooth.architecture.fixtures";
    private static final JavaClasses ALL = new ClassFileImporter().importPackages(FIXTURES);

    @Test
    void aServiceImportingAnotherFails() {
        assertViolations(Rules.servicesDoNotImportEachOther(FIXTURES), ALL, "ImportsPki", "Authority");
        assertPasses(Rules.servicesDoNotImportEachOther(FIXTURES), without("provisioner.ImportsPki"));
    }

    @Test
    void aPurePackageKnowingQuarkusFails() {
        List<String> pure = List.of(FIXTURES + ".pki.policy");
        assertViolations(Rules.purePackagesImportNoFramework(pure), ALL, "UsesQuarkus", "io.quarkus.test.junit.QuarkusTest");
        assertPasses(Rules.purePackagesImportNoFramework(pure), without("pki.policy.UsesQuarkus"));
    }

    @Test
    void aResourceImportingRuntimeFails() {
        assertViolations(Rules.onlyRuntimeImportsRuntime(FIXTURES), ALL, "LeansOnRuntime", "runtime.App");
        assertPasses(Rules.onlyRuntimeImportsRuntime(FIXTURES), without("provisioner.api.LeansOnRuntime"));
    }

    @Test
    void aUnitTestStartingQuarkusOrABrokerFailsAndAnItDoesNot() {
        EvaluationResult result = Rules.unitTestsStartNeitherQuarkusNorABroker().evaluate(ALL);
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains("StartsQuarkusTest") && report.contains("StartsBrokerTest"), report);
        assertTrue(!report.contains("StartsBrokerIT"), report);
        assertPasses(Rules.unitTestsStartNeitherQuarkusNorABroker(), without("StartsQuarkusTest", "StartsBrokerTest"));
    }

    private static JavaClasses without(String... simpleNames) {
        List<String> names = List.of(simpleNames).stream().map(name -> FIXTURES + "." + name).toList();
        return ALL.that(new com.tngtech.archunit.base.DescribedPredicate<>("are not " + names) {
            @Override
            public boolean test(com.tngtech.archunit.core.domain.JavaClass javaClass) {
                return !names.contains(javaClass.getName());
            }
        });
    }

    private static void assertViolations(ArchRule rule, JavaClasses classes, String... mentioned) {
        AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(classes));
        for (String name : mentioned) {
            assertTrue(failure.getMessage().contains(name), failure.getMessage());
        }
    }

    private static void assertPasses(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertEquals(List.of(), result.getFailureReport().getDetails());
    }
}
