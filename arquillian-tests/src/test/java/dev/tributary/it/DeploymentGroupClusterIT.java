package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.it.PayaraServerDomain.Instance;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A Tributary cluster from Payara Server's own grouping, as docs/cluster.md gives the commands: a deployment group of
 * two instances (plus the DAS, which runs no broker) in the Domain Data Grid, tributary-jca.rar and tributary.ear
 * deployed to the group, one shared PostgreSQL. The brokers find each other through the grid, each in its own data
 * directory with its own id; a replicated topic written through one instance is read through the other, which leads
 * every partition once the first instance is stopped.
 */
class DeploymentGroupClusterIT {

    private static final String GROUP = "tributary-group";
    private static final String TOPIC = "group-orders";
    /** Two instances starting and deploying at once on a 2-core machine that other builds share. */
    private static final Duration START = Duration.ofMinutes(4);
    /** Hazelcast notices a stopped member at once (it leaves cleanly); the rest is margin for a busy machine. */
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    @Test
    void instancesOfADeploymentGroupFormOneClusterThatFailsOver() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             PayaraServerDomain domain = PayaraServerDomain.startWithDataGrid()) {
            domain.run("create-deployment-group", GROUP);
            List<String> database = List.of("-Dtributary.db.url=" + postgres.jdbcUrl(),
                    "-Dtributary.db.user=postgres");
            Instance first = domain.createInstance("broker-1", GROUP, database);
            Instance second = domain.createInstance("broker-2", GROUP, database);
            // The DAS runs the adapter too: deploying the EAR to the group reads its annotations on the DAS.
            domain.deploy(ItEnvironment.deployment("tributary-jca.rar"), "tributary-jca");
            domain.run("create-application-ref", "--target", GROUP, "tributary-jca");
            domain.run("deploy", "--target", GROUP, "--name", "tributary",
                    ItEnvironment.deployment("tributary.ear").toString());
            domain.run("start-deployment-group", GROUP);

            RestClient viaFirst = new RestClient(apiBase(first));
            RestClient viaSecond = new RestClient(apiBase(second));
            JsonObject cluster = await("both brokers alive in one cluster", viaSecond,
                    c -> aliveBrokers(c) == 2, START, domain, first, second);
            int firstId = brokerIdAt(cluster, first);
            int secondId = brokerIdAt(cluster, second);
            assertTrue(firstId != secondId, "each instance has its own broker id: " + cluster);
            await("the first instance sees the same cluster", viaFirst, c -> aliveBrokers(c) == 2, START, domain,
                    first, second);

            RestClient.Reply created = viaFirst.post("topics", "{\"name\":\"" + TOPIC
                    + "\",\"partitions\":2,\"replicationFactor\":2}");
            assertEquals(201, created.status(), created::toString);
            produce(viaFirst, "through-first");
            for (int partition = 0; partition < 2; partition++) {
                // A follower's replica shows a record once its next fetch has brought the leader's high watermark.
                awaitValues(viaSecond, partition, List.of("through-first-" + partition),
                        "written through one instance, read through the other");
            }

            domain.run("stop-instance", first.name());
            JsonObject failedOver = await("the second instance leads every partition", viaSecond,
                    c -> aliveBrokers(c) == 1 && c.getInt("controllerId") == secondId && leaders(c).stream()
                            .allMatch(leader -> leader == secondId), CONVERGENCE, domain, first, second);
            assertEquals(2, leaders(failedOver).size(), failedOver::toString);
            produce(viaSecond, "after-failover");
            for (int partition = 0; partition < 2; partition++) {
                awaitValues(viaSecond, partition, List.of("through-first-" + partition, "after-failover-" + partition),
                        "nothing acknowledged was lost; the survivor takes writes");
            }
        }
    }

    private static void produce(RestClient api, String prefix) {
        RestClient.Reply reply = api.post("topics/" + TOPIC + "/records", "{\"records\":[{\"value\":\"" + prefix
                + "-0\",\"partition\":0},{\"value\":\"" + prefix + "-1\",\"partition\":1}]}");
        assertEquals(200, reply.status(), reply::toString);
    }

    private static void awaitValues(RestClient api, int partition, List<String> expected, String what) {
        AtomicReference<List<String>> last = new AtomicReference<>();
        boolean reached = MicroBroker.poll(CONVERGENCE, () -> {
            last.set(values(api, partition));
            return last.get().equals(expected);
        });
        assertTrue(reached, what + ": partition " + partition + " expected " + expected + ", last read " + last.get());
    }

    private static List<String> values(RestClient api, int partition) {
        RestClient.Reply reply = api.get("topics/" + TOPIC + "/partitions/" + partition + "/records?offset=0&limit=10");
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getJsonArray("records").stream().map(r -> r.asJsonObject().getString("value")).toList();
    }

    private static long aliveBrokers(JsonObject cluster) {
        return cluster.getJsonArray("brokers").stream().filter(b -> b.asJsonObject().getBoolean("alive")).count();
    }

    private static List<Integer> leaders(JsonObject cluster) {
        return cluster.getJsonArray("leadership").stream().map(JsonValue::asJsonObject)
                .filter(p -> p.getString("topic").equals(TOPIC)).map(p -> p.getInt("leader")).toList();
    }

    private static int brokerIdAt(JsonObject cluster, Instance instance) {
        String address = "127.0.0.1:" + instance.kafkaPort();
        return cluster.getJsonArray("brokers").stream().map(JsonValue::asJsonObject)
                .filter(b -> b.getString("kafkaAddress").equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no broker at " + address + " in " + cluster)).getInt("id");
    }

    /** Polls the cluster view through {@code api} until {@code condition} holds; a failure names the logs. */
    private static JsonObject await(String what, RestClient api, Predicate<JsonObject> condition, Duration timeout,
                                    PayaraServerDomain domain, Instance... instances) {
        AtomicReference<Object> last = new AtomicReference<>("no answer");
        boolean reached = MicroBroker.poll(timeout, () -> {
            try {
                RestClient.Reply reply = api.get("cluster");
                last.set(reply);
                return reply.status() == 200 && condition.test(reply.json());
            } catch (RuntimeException notYet) {
                last.set(notYet);
                return false;
            }
        });
        StringBuilder logs = new StringBuilder();
        for (Instance instance : instances) {
            logs.append("\n").append(domain.instanceLog(instance.name()));
        }
        assertTrue(reached, what + ": not within " + timeout + "; last: " + last.get() + "; logs:" + logs);
        return ((RestClient.Reply) last.get()).json();
    }

    private static URI apiBase(Instance instance) {
        return URI.create("http://127.0.0.1:" + instance.httpPort() + "/api/v1/");
    }
}
