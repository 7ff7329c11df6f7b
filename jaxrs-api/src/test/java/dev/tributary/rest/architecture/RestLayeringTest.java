package dev.tributary.rest.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.replication.PreferredLeaderElection;
import dev.tributary.broker.replication.TruncateToLastGood;
import dev.tributary.broker.server.BrokerAvailability;
import dev.tributary.broker.topic.HostedReplicas;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * REST is a thin boundary (docs/architecture.md, "Layers"): its resources translate HTTP and delegate to the core
 * services the broker's CDI producers hand out — the topic metadata view and administration, the record reader and
 * writer, group administration, cluster status, users and ACLs, preferred leader election, the truncation of a
 * corrupt replica, whether the broker serves yet — and the values those take and return. It never reaches past them
 * into the logs, the replication machinery, the Kafka protocol, the JPA stores, the broker's wiring or the
 * coordinators themselves.
 */
class RestLayeringTest {

    private static final JavaClasses REST = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void restUsesOnlyTheCoreServicesMeantForIt() {
        noClasses().should().dependOnClassesThat(resideInAnyPackage(
                        "dev.tributary.broker.log..", "dev.tributary.broker.kafka..", "dev.tributary.broker.server..",
                        "dev.tributary.broker.metadata..", "dev.tributary.broker.boundary..",
                        "dev.tributary.broker.consumer..", "dev.tributary.broker.transaction..",
                        "dev.tributary.broker.replication..")
                        .and(not(simpleNameEndingWith("Exception")))
                        .and(not(belongToAnyOf(PreferredLeaderElection.class, TruncateToLastGood.class,
                                BrokerAvailability.class))))
                .because("REST reaches the core through the services the boundary's CDI producers hand out")
                .check(REST);
        noClasses().should().dependOnClassesThat(belongToAnyOf(HostedReplicas.class, GroupCoordinator.class))
                .because("reads go through RecordReader and groups through GroupAdmin")
                .check(REST);
    }
}
