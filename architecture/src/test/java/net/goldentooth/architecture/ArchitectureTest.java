package net.goldentooth.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules, on the classes of every module of this build. */
class ArchitectureTest {

    private static Codebase codebase;
    private static JavaClasses main;

    @BeforeAll
    static void read() {
        codebase = Codebase.ofThisBuild();
        main = codebase.mainClasses();
    }

    @Test
    void servicesNeverImportEachOther() {
        Rules.servicesDoNotImportEachOther(Codebase.ROOT_PACKAGE).check(codebase.allClasses());
    }

    @Test
    void purePackagesNamedInTheReadmesImportNoFramework() {
        Map<String, List<String>> pure = codebase.purePackages();
        assertFalse(pure.isEmpty(), "no module README has a 'Pure packages:' line");
        List<String> packages = pure.values().stream().flatMap(List::stream).toList();
        List<String> empty = new ArrayList<>();
        for (String name : packages) {
            if (main.stream().noneMatch(javaClass -> javaClass.getPackageName().equals(name))) {
                empty.add(name);
            }
        }
        assertTrue(empty.isEmpty(), "READMEs name pure packages that have no classes (renamed or mistyped?): " + empty);
        Rules.purePackagesImportNoFramework(packages).check(main);
    }

    @Test
    void nothingOutsideRuntimeImportsRuntime() {
        Rules.onlyRuntimeImportsRuntime(Codebase.ROOT_PACKAGE).check(main);
    }

    @Test
    void noUnitTestStartsQuarkusOrABroker() {
        Rules.unitTestsStartNeitherQuarkusNorABroker().check(codebase.testClasses());
    }
}
