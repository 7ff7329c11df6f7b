package dev.tributary.broker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's layering (docs/architecture.md, "Layers"), checked on the compiled classes as Kafka checks its own
 * with Checkstyle's import control. Each package of the core stands on a floor and may use only the packages named
 * for it here, all on lower floors; the boundary, which owns the container's lifecycle, stands on top and nothing
 * uses it. A new package, or a new dependency between packages, is a design decision: make it here, on purpose, and
 * in the architecture page.
 */
class LayeringTest {

    private static final String BROKER = "dev.tributary.broker";

    /** Every core package and the packages it may use, from the ground floor up. */
    private static final Map<String, Set<String>> MAY_USE = floors();

    private static JavaClasses broker;

    private static Map<String, Set<String>> floors() {
        Map<String, Set<String>> floors = new LinkedHashMap<>();
        floors.put("metrics", Set.of());
        floors.put("security", Set.of());
        floors.put("txn", Set.of());
        floors.put("log", Set.of("metrics"));
        floors.put("topic", Set.of("log"));
        floors.put("cluster", Set.of("log", "topic"));
        floors.put("group", Set.of("cluster", "log", "topic"));
        floors.put("replication", Set.of("cluster", "log", "topic", "txn"));
        floors.put("records", Set.of("log", "metrics", "replication", "topic"));
        floors.put("metadata", Set.of("cluster", "group", "log", "security", "topic", "txn"));
        floors.put("consumer", Set.of("group", "log", "records", "topic"));
        floors.put("transaction", Set.of("log", "records", "replication", "topic"));
        floors.put("server", Set.of("cluster", "consumer", "group", "log", "metadata", "metrics", "records",
                "replication", "security", "topic", "transaction", "txn"));
        floors.put("kafka", Set.of("cluster", "group", "log", "metrics", "records", "replication", "security",
                "server", "topic", "transaction", "txn"));
        floors.put("boundary", Set.of("cluster", "consumer", "group", "kafka", "log", "metrics", "records",
                "replication", "security", "server", "topic", "transaction", "txn"));
        return floors;
    }

    @BeforeAll
    static void importBroker() {
        // The module's own classes only: scanning the whole class path for the package costs seconds.
        broker = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    @Test
    void everyPackageStandsOnAFloor() {
        Set<String> packages = broker.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(BROKER + "."))
                .map(name -> name.substring(BROKER.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages,
                "a new package of the broker needs its floor in LayeringTest and docs/architecture.md");
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : MAY_USE.keySet())
            layers = layers.layer(name).definedBy(BROKER + "." + name + "..");
        for (Map.Entry<String, Set<String>> floor : MAY_USE.entrySet()) {
            String[] below = floor.getValue().toArray(String[]::new);
            layers = below.length == 0 ? layers.whereLayer(floor.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(floor.getKey()).mayOnlyAccessLayers(below);
        }
        layers.check(broker);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(BROKER + ".(*)..").should().beFreeOfCycles().check(broker);
    }

    /** The core is plain Java: only the boundary knows the container, only the JPA stores know JPA. */
    @Test
    void onlyTheBoundaryUsesTheContainer() {
        noClasses().that().resideOutsideOfPackage(BROKER + ".boundary..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ejb..", "jakarta.enterprise..",
                        "jakarta.inject..", "jakarta.annotation..", "jakarta.ws.rs..", "jakarta.resource..",
                        "org.eclipse.microprofile..", "com.hazelcast..")
                .check(broker);
        noClasses().that().resideOutsideOfPackage(BROKER + ".metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.eclipse.persistence..")
                .check(broker);
    }

    /**
     * Inside the Kafka protocol's package, the network layer knows no API and no security, and security knows no
     * API: {@code handlers} uses both, and only {@code kafka} itself ({@code KafkaServer}) wires all three.
     */
    @Test
    void kafkaSubPackagesDependOneWay() {
        String kafka = BROKER + ".kafka";
        noClasses().that().resideInAPackage(kafka + ".network..").should().dependOnClassesThat()
                .resideInAnyPackage(kafka + ".security..", kafka + ".handlers..", kafka).check(broker);
        noClasses().that().resideInAPackage(kafka + ".security..").should().dependOnClassesThat()
                .resideInAnyPackage(kafka + ".handlers..", kafka).check(broker);
        noClasses().that().resideInAPackage(kafka + ".handlers..").should().dependOnClassesThat()
                .resideInAPackage(kafka).check(broker);
    }
}
