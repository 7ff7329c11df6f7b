package dev.tributary.it;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker WAR exactly as users run it (tributary.war, after tributary-jca.rar) in Payara Micro, driven over
 * REST.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestApiIT {

    @Deployment(testable = false)
    static WebArchive broker() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, ItEnvironment.deployment("tributary.war").toFile());
    }

    @ArquillianResource
    URL base;

    /** The broker starts in the background once the WAR is deployed. */
    @BeforeEach
    void awaitTheBroker() {
        ItEnvironment.awaitServing(URI.create("http://127.0.0.1:" + base.getPort() + "/"));
    }

    private RestScenario scenario() {
        // Arquillian reports "localhost", which may resolve to ::1; the broker listens on 127.0.0.1 only.
        return new RestScenario(new RestClient(URI.create("http://127.0.0.1:" + base.getPort() + "/api/v1/")));
    }

    @Test
    void producesAndReadsBackRecords() {
        RestScenario scenario = scenario();
        scenario.verifyReadsBack(scenario.createAndProduce("arq-orders"));
    }

    @Test
    void refusesAnonymousCallersAndCallersWithoutTheRole() {
        RestScenario scenario = scenario();
        scenario.createAndProduce("arq-secured");
        scenario.verifySecurity("arq-secured");
        scenario.verifyAcls();
    }

    @Test
    void survivesBadInputOfEveryKindWithCleanErrorsAndUnchangedData() {
        RestScenario scenario = scenario();
        scenario.createAndProduce("arq-fuzzed");
        scenario.verifyFuzz("arq-fuzzed", Long.getLong("tributary.fuzz.seed", System.nanoTime()),
                Integer.getInteger("tributary.fuzz.requests", 600));
    }

    @Test
    void readsFromATimestamp() {
        scenario().verifyReadByTimestamp("arq-timestamps");
    }

    @Test
    void answersBadInputWithProblemDetails() {
        RestScenario scenario = scenario();
        scenario.createAndProduce("arq-errors");
        scenario.verifyErrors("arq-errors");
        scenario.verifyExactNumbers("arq-errors");
    }

    @Test
    void aGroupWhoseOffsetsAreResetBeforeItEverRanIsDescribed() {
        RestScenario scenario = scenario();
        scenario.createAndProduce("arq-new-group");
        scenario.verifyResetCreatesTheGroup("arq-new-group");
    }

    @Test
    void changesAndDeletesTopics() {
        RestScenario scenario = scenario();
        scenario.createAndProduce("arq-lifecycle");
        scenario.verifyConfigChanges("arq-lifecycle");
        scenario.verifyPartitionGrowth("arq-lifecycle");
        scenario.verifyDelete("arq-lifecycle");
    }
}
