package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The resource adapter in remote mode: the test application runs on one Payara Micro whose adapter is configured
 * with {@code bootstrapServers} (by an asadmin command, as an operator would), and sends to and consumes from a
 * second broker on other ports through the Kafka protocol.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JcaRemoteModeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int COMMITTED = 300;

    private static MicroBroker remote;
    private static MicroBroker appServer;
    private static RestClient remoteRest;
    private static JcaTestApp app;

    @BeforeAll
    static void deploy() {
        Path work = ItEnvironment.workDir("jca-remote");
        // The remote broker opts out of the secure default: this test is about remote mode's delivery, and the
        // test app's connection factories and MDBs name no user. Remote mode logging in over SASL (SCRAM-SHA-512)
        // is RemoteBrokerGatewayTest's.
        remote = MicroBroker.start(work.resolve("remote-data"), work.resolve("remote-server.log"), List.of(),
                List.of("create-system-properties tributary.security.enabled=false"));
        remoteRest = remote.client();
        for (String topic : List.of("jca-orders:3", "jca-plain:2", "jca-poison:1", "jca-dead-letters:1",
                "jca-shared:4")) {
            String[] nameAndPartitions = topic.split(":");
            RestClient.Reply created = remoteRest.post("topics", "{\"name\":\"" + nameAndPartitions[0]
                    + "\",\"partitions\":" + nameAndPartitions[1] + "}");
            assertEquals(201, created.status(), created::toString);
        }
        String bootstrap = remote.kafkaBootstrap().replace(":", "\\:");
        appServer = MicroBroker.start(work.resolve("app-data"), work.resolve("app-server.log"),
                List.of(JcaTestApp.archive(work)),
                List.of("create-resource-adapter-config --property bootstrapServers=" + bootstrap + " tributary-jca",
                        // the application server's own broker is not what this test is about: no password needed
                        "create-system-properties tributary.security.enabled=false"));
        app = new JcaTestApp(appServer);
        app.awaitDeployed();
    }

    @AfterAll
    static void shutDown() {
        try {
            if (appServer != null) {
                appServer.close();
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }

    @Test
    @Order(1)
    void aSendLandsOnTheRemoteBrokerAndNotOnTheOneBesideTheApplication() {
        String[] landed = app.post("send?topic=jca-plain&key=customer-7&value=remote-hello").split(" ");

        JsonArray records = remoteRest.get("topics/jca-plain/partitions/" + landed[0] + "/records?offset="
                + landed[1]).json().getJsonArray("records");
        assertEquals("remote-hello", records.getJsonObject(0).getString("value"));
        assertEquals("customer-7", records.getJsonObject(0).getString("key"));
        assertEquals(404, appServer.client().anonymous().get("topics/jca-plain").status(),
                "the local broker was not used (and, with security off, needs no password)");
    }

    @Test
    @Order(2)
    void aCommittedTransactionReachesTheBeanThroughTheRemoteGroupAndARolledBackOneNever() {
        app.post("send-tx?topic=jca-orders&prefix=committed&count=" + COMMITTED + "&commit=true");
        app.post("send-tx?topic=jca-orders&prefix=rolledback&count=20&commit=false");

        List<String> inLog = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            remoteRest.get("topics/jca-orders/partitions/" + p + "/records?limit=1000").json()
                    .getJsonArray("records").forEach(r -> inLog.add(r.asJsonObject().getString("value")));
        }
        assertEquals(COMMITTED, inLog.size(), "the committed transaction, and nothing of the rolled-back one");

        app.await("the bean received them", () -> app.received("orders").size() >= COMMITTED, WAIT);
        List<String[]> lines = app.received("orders").stream().map(l -> l.split(" ")).toList();
        assertEquals(COMMITTED, lines.size(), "each record once");
        Map<String, Long> lastOffset = new HashMap<>();
        for (String[] line : lines) {
            long offset = Long.parseLong(line[2]);
            Long previous = lastOffset.put(line[1], offset);
            assertTrue(previous == null || offset == previous + 1, "partition " + line[1] + " in order");
            assertTrue(line[4].startsWith("committed"));
        }
        JsonObject group = remoteRest.get("groups/jca-orders-mdb").json();
        assertEquals("mdb-jca-orders-mdb", group.getJsonArray("members").getJsonObject(0).getString("clientId"),
                "the bean is a member of the remote broker's group");
    }

    @Test
    @Order(3)
    void aFailingRecordIsDeadLetteredOnTheRemoteBroker() {
        app.post("send?topic=jca-poison&key=a&value=ok-1");
        app.post("send?topic=jca-poison&key=b&value=poison-1");
        app.post("send?topic=jca-poison&key=c&value=ok-2");

        app.await("the healthy records get through",
                () -> JcaTestApp.values(app.received("poison")).equals(List.of("ok-1", "ok-2")), WAIT);
        JsonArray dead = remoteRest.get("topics/jca-dead-letters/partitions/0/records").json()
                .getJsonArray("records");
        assertEquals(1, dead.size());
        assertEquals("poison-1", dead.getJsonObject(0).getString("value"));
        assertEquals("1", dead.getJsonObject(0).getJsonObject("headers").getString("tributary.dlt.origin.offset"));
    }
}
