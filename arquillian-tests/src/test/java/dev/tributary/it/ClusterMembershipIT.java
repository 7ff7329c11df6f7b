package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.it.MicroBroker.GridMember;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two Payara Micro brokers in one data grid (Payara's Hazelcast, tcpip members on loopback) sharing a PostgreSQL
 * metadata database: each lists both, with the first as controller; stopping it moves the controller (a stopped
 * broker leaves the electorate; after a kill -9 the survivor, one of two, would not see a majority, see
 * docs/cluster.md#fencing); a broker on the embedded H2 database that joins the grid fails its start with what to
 * do instead.
 */
class ClusterMembershipIT {

    /** Hazelcast notices a killed member on one host in about a second; the rest is margin for a busy machine. */
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @Test
    void brokersSeeEachOtherAndTheControllerMovesWhenItStops() throws Exception {
        Path work = ItEnvironment.workDir("cluster");
        int[] gridPorts = {ItEnvironment.freePort(), ItEnvironment.freePort(), ItEnvironment.freePort()};
        String members = "tcpip:127.0.0.1:" + gridPorts[0] + ",127.0.0.1:" + gridPorts[1] + ",127.0.0.1:"
                + gridPorts[2];
        try (PostgresServer postgres = PostgresServer.start();
             // One at a time: the first creates the schema, and the oldest member is known (the controller).
             MicroBroker first = MicroBroker.startInGrid(work.resolve("data-1"), work.resolve("broker-1.log"),
                     new GridMember(members, gridPorts[0]), Optional.of(postgres.jdbcUrl()));
             MicroBroker second = MicroBroker.startInGrid(work.resolve("data-2"), work.resolve("broker-2.log"),
                     new GridMember(members, gridPorts[1]), Optional.of(postgres.jdbcUrl()))) {
            // Ids come from the shared database in start order: 0, then 1.
            Map<Integer, String> bothAlive = Map.of(0, "alive controller", 1, "alive");
            for (MicroBroker broker : List.of(first, second)) {
                JsonObject cluster = awaitBrokers(broker, bothAlive);
                assertEquals(0, cluster.getInt("controllerId"));
                JsonObject one = brokerOf(cluster, 1);
                assertEquals(second.kafkaBootstrap(), one.getString("kafkaAddress"));
                assertEquals(second.serverBase().toString(), one.getString("httpUrl"));
                assertEquals(0, cluster.getJsonObject("partitions").getInt("underReplicated"));
            }
            assertEquals(401, first.client().anonymous().get("cluster").status(), "admins only");
            assertBrokerStats(first, Map.of(0, "local", 1, "reached"));

            embeddedDatabaseBrokerFailsFast(work, members, gridPorts[2]);
            awaitBrokers(first, bothAlive); // the refused broker left no trace in the cluster

            first.stop();
            JsonObject afterStop = awaitBrokers(second, Map.of(0, "down", 1, "alive controller"));
            assertEquals(1, afterStop.getInt("controllerId"));
            assertEquals(first.kafkaBootstrap(), brokerOf(afterStop, 0).getString("kafkaAddress"),
                    "a stopped broker is listed with the address it announced last");
            assertBrokerStats(second, Map.of(0, "unreachable", 1, "local"));
        }
    }

    /**
     * {@code GET /stats/brokers} on {@code broker} lists each broker as {@code expected} ("local", "reached" over the
     * other's REST API with the caller's credentials, or "unreachable" with why), with stats for the first two.
     */
    private static void assertBrokerStats(MicroBroker broker, Map<Integer, String> expected) {
        RestClient.Reply reply = broker.client().get("stats/brokers");
        assertEquals(200, reply.status(), reply::toString);
        Map<Integer, String> seen = new TreeMap<>();
        for (var value : reply.json().getJsonArray("brokers")) {
            JsonObject entry = value.asJsonObject();
            String state = entry.getBoolean("local") ? "local" : entry.getBoolean("reachable") ? "reached"
                    : "unreachable";
            seen.put(entry.getInt("id"), state);
            assertEquals(entry.getBoolean("reachable"), entry.containsKey("stats") && !entry.isNull("stats"),
                    reply::toString);
            if (!entry.getBoolean("reachable")) {
                assertTrue(entry.getString("problem").contains("down"), reply::toString);
            }
        }
        assertEquals(expected, seen, reply::toString);
    }

    private static void embeddedDatabaseBrokerFailsFast(Path work, String members, int gridPort) throws Exception {
        try (MicroBroker embedded = MicroBroker.launchInGrid(work.resolve("data-h2"), work.resolve("broker-h2.log"),
                new GridMember(members, gridPort), Optional.empty())) {
            assertTrue(embedded.awaitLog("a cluster needs a shared database (PostgreSQL)", Duration.ofSeconds(180)),
                    "the embedded-H2 broker's start fails with the reason; see " + embedded.logFile());
            String log = Files.readString(embedded.logFile());
            for (String how : List.of("--db-url", "--db-user", "TRIBUTARY_DB_PASSWORD")) {
                assertTrue(log.contains(how), "the message says how to give a shared database: " + how);
            }
            RestClient.Reply cluster = embedded.client().get("cluster");
            assertEquals(503, cluster.status(), "the broker does not serve: " + cluster);
            assertTrue(cluster.json().getString("detail").contains("a cluster needs a shared database"),
                    cluster::toString);
        }
    }

    /**
     * Polls {@code GET /cluster} on {@code broker} until its brokers are {@code expected} (id to "alive", "alive
     * controller" or "down"); fails with the last answer after {@link #CONVERGENCE}.
     */
    private static JsonObject awaitBrokers(MicroBroker broker, Map<Integer, String> expected) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        boolean converged = MicroBroker.poll(CONVERGENCE, () -> {
            RestClient.Reply reply = broker.client().get("cluster");
            assertEquals(200, reply.status(), reply::toString);
            last.set(reply.json());
            return expected.equals(states(reply.json()));
        });
        assertTrue(converged, "expected " + expected + " from " + broker.apiBase() + ", last saw " + last.get());
        assertEquals(1, last.get().getJsonArray("brokers").stream()
                .filter(b -> b.asJsonObject().getBoolean("controller")).count(), "exactly one controller");
        assertFalse(last.get().getString("clusterId").isBlank());
        return last.get();
    }

    private static Map<Integer, String> states(JsonObject cluster) {
        Map<Integer, String> states = new TreeMap<>();
        for (var value : cluster.getJsonArray("brokers")) {
            JsonObject broker = value.asJsonObject();
            String state = !broker.getBoolean("alive") ? "down"
                    : broker.getBoolean("controller") ? "alive controller" : "alive";
            states.put(broker.getInt("id"), state);
        }
        return states;
    }

    private static JsonObject brokerOf(JsonObject cluster, int id) {
        return cluster.getJsonArray("brokers").stream().map(value -> value.asJsonObject())
                .filter(broker -> broker.getInt("id") == id).findFirst().orElseThrow();
    }
}
