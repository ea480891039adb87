package net.goldentooth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.Slice;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The layering STYLE.md promises, as ArchUnit rules. Each takes the root package it applies to,
 * so that {@code RulesCatchViolationsTest} can show it failing on the fixture classes.
 */
final class Rules {

    /** The deployables: they talk only through Kafka topics (and the CLI through REST), never by import. */
    static final Set<String> SERVICES = Set.of("agent", "provisioner", "pki", "storage", "monitor", "cli");

    /** What a pure package must not know: Quarkus (and what it is built on), Jakarta, Kafka, sshj, fabric8, Micrometer. */
    static final String[] FRAMEWORKS = {"io.quarkus..", "io.vertx..", "io.smallrye..", "org.eclipse.microprofile..",
        "jakarta..", "org.apache.kafka..", "net.schmizz..", "com.hierynomus..", "io.fabric8..", "io.micrometer.."};

    /** Surefire's default includes: these classes run in the fast tier, without a broker or Quarkus. */
    private static final Pattern UNIT_TEST = Pattern.compile("Test\\w*|\\w*(Test|Tests|TestCase)");

    private static final Set<String> STARTERS = Set.of("io.quarkus.runtime.Quarkus",
            "net.goldentooth.testkit.KafkaBroker", "net.goldentooth.testkit.KafkaBrokerResource",
            "net.goldentooth.testkit.LocalCluster", "net.goldentooth.testkit.ServiceProcess",
            "net.goldentooth.testkit.KafkaCluster",
            // The broker runner itself; its nested option parser, BrokerLayout and FleetAcls are plain code.
            "net.goldentooth.broker.BrokerMain");

    static ArchRule servicesDoNotImportEachOther(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .that(new DescribedPredicate<Slice>("are services " + SERVICES) {
                    @Override
                    public boolean test(Slice slice) {
                        return SERVICES.contains(slice.getNamePart(1));
                    }
                })
                .should().notDependOnEachOther()
                .because("services talk through the topics in events (STYLE.md), so each can be deployed alone");
    }

    static ArchRule purePackagesImportNoFramework(Collection<String> packages) {
        return noClasses().that().resideInAnyPackage(packages.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("a module README names these packages pure: unit-tested in milliseconds, without the framework");
    }

    static ArchRule onlyRuntimeImportsRuntime(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + "..runtime..")
                .should().dependOnClassesThat().resideInAPackage(root + "..runtime..")
                .because("runtime is the Quarkus shell that wires the rest; nothing it wires may lean on it");
    }

    static ArchRule unitTestsStartNeitherQuarkusNorABroker() {
        return noClasses().that(areUnitTests())
                .should().dependOnClassesThat(startQuarkusOrABroker())
                .because("*Test is the fast tier (surefire); what needs Quarkus or a broker is an *IT (failsafe)");
    }

    /** Classes whose top-level class surefire runs by its default includes (nested and anonymous classes too). */
    static DescribedPredicate<JavaClass> areUnitTests() {
        return new DescribedPredicate<>("are (in) unit tests: Test*, *Test, *Tests, *TestCase") {
            @Override
            public boolean test(JavaClass javaClass) {
                String name = javaClass.getName();
                String topLevel = name.substring(name.lastIndexOf('.') + 1).split("\\$", 2)[0];
                return UNIT_TEST.matcher(topLevel).matches();
            }
        };
    }

    static DescribedPredicate<JavaClass> startQuarkusOrABroker() {
        return new DescribedPredicate<>("start Quarkus or a broker (@QuarkusTest and its kin, test resources,"
                + " testkit's KafkaBroker, LocalCluster, ServiceProcess, the broker itself)") {
            @Override
            public boolean test(JavaClass target) {
                String name = target.getName();
                return STARTERS.contains(name) || name.startsWith("io.quarkus.test.junit.")
                        || name.startsWith("io.quarkus.test.common.") || name.startsWith("kafka.server.");
            }
        };
    }

    private Rules() {
    }
}
