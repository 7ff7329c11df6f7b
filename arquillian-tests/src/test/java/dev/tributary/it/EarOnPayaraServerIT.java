package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The full-server route as docs/jakarta-ee.md gives it, in one throwaway Payara Server domain (loopback only, see
 * {@link PayaraServerDomain}): tributary-jca.rar deployed standalone with the server-wide connection factory, then
 * tributary.ear (broker and REST), then an application of the user's own, deployed separately ({@code jcaapp}: its
 * own and the server-wide connection factory, message-driven beans). The scenarios run in order on the one domain
 * (each start costs most of a minute): REST, JTA sends and deliveries, then the application, the broker and the
 * adapter each redeployed, with the documented recovery where Payara offers no way back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EarOnPayaraServerIT {

    /** Deployments and deliveries on a 2-core machine that other builds share. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String RAR = "tributary-jca";
    private static final String EAR = "tributary";
    private static final String APP = "jca-app";

    private static PayaraServerDomain domain;
    private static RestClient rest;
    private static JcaTestApp app;
    private static Path appWar;

    @BeforeAll
    static void deploy() {
        domain = PayaraServerDomain.start();
        appWar = JcaTestApp.archive(ItEnvironment.workDir("payara-app"));
        domain.deploy(ItEnvironment.deployment("tributary-jca.rar"), RAR);
        domain.run("create-connector-connection-pool", "--raname", RAR, "--connectiondefinition",
                "dev.tributary.jca.api.TributaryConnectionFactory", "--transactionsupport", "XATransaction",
                "tributary-connection-pool");
        domain.run("create-connector-resource", "--poolname", "tributary-connection-pool",
                "tributary/ConnectionFactory");
        domain.deploy(ItEnvironment.deployment("tributary.ear"), EAR);
        domain.awaitOk(apiBase().resolve("topics"));
        rest = new RestClient(apiBase());
        for (String topic : List.of("jca-orders", "jca-poison", "jca-dead-letters", "jca-shared")) {
            RestClient.Reply reply = rest.post("topics", "{\"name\":\"" + topic + "\",\"partitions\":3}");
            assertEquals(201, reply.status(), reply::toString);
        }
        domain.deploy(appWar, APP);
        app = new JcaTestApp(URI.create("http://127.0.0.1:" + domain.httpPort() + "/"), domain.serverLog());
        app.awaitDeployed();
    }

    @AfterAll
    static void stopDomain() {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    @Order(1)
    void producesReadsBackAndAnswersBadInput() {
        RestScenario scenario = new RestScenario(rest);
        naming(() -> {
            scenario.verifyReadsBack(scenario.createAndProduce("ear-orders"));
            scenario.verifyErrors("ear-orders");
        });
        assertTrue(hasFiles(domain.dataDir()),
                "the broker keeps its data in tributary.data.dir " + domain.dataDir());
    }

    @Test
    @Order(2)
    void separatelyDeployedApplicationSendsInTransactionsAndReceives() {
        naming(() -> {
            app.post("send-tx?topic=jca-orders&prefix=rolled-back-1&count=20&commit=false");
            sendCommittedAndAwaitDelivery("committed-1", 50);
            assertEquals(List.of(), deliveredWith("rolled-back-1"), "rolled-back sends are never delivered");
            // The server-wide connection factory (created with asadmin) sends too.
            app.post("send-server-wide?topic=jca-orders&key=k&value=server-wide-1-0");
            app.await("the server-wide send is delivered", () -> deliveredWith("server-wide-1").size() == 1, WAIT);
        });
    }

    @Test
    @Order(3)
    void applicationRedeployedOrDisabledAndEnabledKeepsSendingAndReceiving() {
        naming(() -> {
            domain.deploy(appWar, APP);
            app.awaitDeployed();
            sendCommittedAndAwaitDelivery("after-app-redeploy", 30);
            domain.run("disable", APP);
            domain.run("enable", APP);
            app.awaitDeployed();
            sendCommittedAndAwaitDelivery("after-app-enable", 20);
        });
    }

    @Test
    @Order(4)
    void brokerRedeployedOrDisabledAndEnabledReleasesItsDataDirectoryAndDeliveriesResume() {
        naming(() -> {
            int stoppedBefore = occurrences(domain.serverLogText(), "Broker stopped cleanly");
            domain.deploy(ItEnvironment.deployment("tributary.ear"), EAR);
            assertEquals(stoppedBefore + 1, occurrences(domain.serverLogText(), "Broker stopped cleanly"),
                    "the undeployed broker closes its logs");
            domain.awaitOk(apiBase().resolve("topics"));
            // The application and its MDBs stayed deployed: they find the new broker by themselves.
            sendCommittedAndAwaitDelivery("after-broker-redeploy", 30);

            domain.run("disable", EAR);
            assertEquals(stoppedBefore + 2, occurrences(domain.serverLogText(), "Broker stopped cleanly"),
                    "the disabled broker closes its logs");
            domain.run("enable", EAR);
            domain.awaitOk(apiBase().resolve("topics"));
            sendCommittedAndAwaitDelivery("after-broker-enable", 20);
        });
    }

    @Test
    @Order(5)
    void adapterDisabledAndEnabledIsLoudAndTheDocumentedRecoveryWorks() {
        naming(() -> {
            int before = orphanWarnings();
            domain.run("disable", RAR);
            domain.run("enable", RAR);
            assertEquals(before + 1, orphanWarnings(), "disabling the adapter under active MDBs is logged at SEVERE,"
                    + " naming them and the recovery");
            recoverAsDocumented("after-adapter-disable");
        });
    }

    @Test
    @Order(6)
    void adapterRedeployedIsLoudAndTheDocumentedRecoveryWorks() {
        naming(() -> {
            int before = orphanWarnings();
            domain.deploy(ItEnvironment.deployment("tributary-jca.rar"), RAR);
            assertEquals(before + 1, orphanWarnings(), "redeploying the adapter under active MDBs is logged at"
                    + " SEVERE, naming them and the recovery");
            recoverAsDocumented("after-adapter-redeploy");
        });
    }

    /** How often the adapter has logged, at SEVERE, that it stopped under the test application's MDB. */
    private static int orphanWarnings() {
        return (int) domain.serverLogText().lines()
                .filter(line -> line.contains("stopping under message-driven beans") && line.contains("OrdersListener"))
                .count();
    }

    /** docs/jakarta-ee.md: after the adapter, redeploy the broker, then the applications that use it. */
    private static void recoverAsDocumented(String prefix) {
        domain.deploy(ItEnvironment.deployment("tributary.ear"), EAR);
        domain.awaitOk(apiBase().resolve("topics"));
        domain.deploy(appWar, APP);
        app.awaitDeployed();
        sendCommittedAndAwaitDelivery(prefix, 30);
    }

    /**
     * docs/jakarta-ee.md's one-EAR assembly: Tributary's modules (the RAR included) and the user's WAR in one
     * application, as the Maven snippet there builds it. Here assembled from the same artifacts, after the
     * separate deployments are gone (they share the data directory, which the undeployed broker must release).
     */
    @Test
    @Order(7)
    void userAssembledEarServesItsOwnEndpointsAndItsBeanReceives() {
        naming(() -> {
            domain.run("undeploy", APP);
            domain.run("undeploy", EAR);
            domain.run("undeploy", "--cascade=true", RAR);
            domain.deploy(UserEar.assemble(ItEnvironment.workDir("user-ear")), "user-app");
            domain.awaitOk(apiBase().resolve("topics"));
            assertEquals(201, rest.post("topics", "{\"name\":\"user-ear-orders\",\"partitions\":2}").status());
            StringBuilder records = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 10; i++) {
                records.append(i == 0 ? "" : ",").append("{\"key\":\"k-").append(i).append("\",\"value\":\"user-")
                        .append(i).append("\"}");
            }
            RestClient.Reply produced = rest.post("topics/user-ear-orders/records", records.append("]}").toString());
            assertEquals(200, produced.status(), produced::toString);

            RestClient user = new RestClient(URI.create("http://127.0.0.1:" + domain.httpPort() + "/user-app/api/"))
                    .anonymous();
            RestClient.Reply hello = user.get("hello");
            assertEquals(200, hello.status(), () -> "the user's own endpoint answers, unauthenticated: " + hello);
            assertEquals(401, rest.anonymous().get("topics").status(), "the broker's API still needs credentials");
            app.await("the user's MDB receives the 10 records", () -> user.get("received").body().lines()
                    .filter(line -> line.contains(" user-")).count() == 10, WAIT);
        });
    }

    /** Sends {@code count} records in one committed transaction; waits until each is delivered, and only once. */
    private static void sendCommittedAndAwaitDelivery(String prefix, int count) {
        app.post("send-tx?topic=jca-orders&prefix=" + prefix + "&count=" + count + "&commit=true");
        app.await(count + " records sent with prefix " + prefix + " are delivered",
                () -> deliveredWith(prefix).size() >= count, WAIT);
        List<String> delivered = deliveredWith(prefix);
        assertEquals(count, delivered.size(), () -> "each committed record is delivered once: " + delivered);
        assertEquals(count, delivered.stream().distinct().count(), () -> "no record twice: " + delivered);
    }

    private static List<String> deliveredWith(String prefix) {
        return JcaTestApp.values(app.received("orders")).stream().filter(v -> v.startsWith(prefix + "-")).toList();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static boolean hasFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI apiBase() {
        return URI.create("http://127.0.0.1:" + domain.httpPort() + "/api/v1/");
    }

    /** Runs the steps; a failure names the server log, where the cause of a 500 or a missing bean shows. */
    private static void naming(Runnable steps) {
        try {
            steps.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nserver log: " + domain.serverLog(), e);
        }
    }
}
