package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.it.MicroBroker.GridMember;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Network partitions against three Payara Micro brokers on one PostgreSQL, each broker in a network namespace of
 * its own ({@link PartitionNetwork}), while an idempotent {@code acks=all} producer writes without pause and records
 * every acknowledgement ({@link AckLedger}). One cluster goes through every scenario in turn: a broker cut off
 * entirely, its data-grid traffic only, its database traffic only, the controller's own broker cut off, a one-way
 * cut, and a link flapping for a minute. After each heal the cluster must be healthy on its own within
 * {@link #HEALTHY_WITHIN} (every broker sees all three alive, one controller, every partition led with its whole
 * ISR, and writes acknowledged again); each scenario's unavailability window is printed (docs/benchmarks.md).
 *
 * <p>Then the checker reads every broker's replica of every partition: no acknowledged record lost or moved, none
 * twice, each partition in the order it was written, every replica identical, and the leader epochs of the log
 * never going back, which with the acknowledged offsets rules out two leaders acknowledging writes for one
 * partition at once (an old leader's acknowledged write past the new leader's start would be missing from the
 * final log or at another offset). Needs root (network namespaces), as CI runs.
 */
class PartitionIT {

    private static final String TOPIC = "jepsen";
    private static final int PARTITIONS = 3;
    private static final int BROKERS = 3;
    /** The requirement: healthy again on its own within this of the last heal. */
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    /** The brokers' settings (defaults, stated here because the waits below derive from them). */
    private static final long SESSION_TIMEOUT_MS = 6_000;
    private static final long GRID_SILENCE_MS = 10_000; // hazelcast.max.no.heartbeat.seconds, see MicroBroker
    /** A fault lasts long enough for the grid to notice a silent member and for a lost session to expire. */
    private static final Duration HOLD = Duration.ofMillis(Math.max(SESSION_TIMEOUT_MS, GRID_SILENCE_MS) + 2_000);
    private static final Duration FLAPPING = Duration.ofSeconds(60);
    private static final Duration FLAP_PERIOD = Duration.ofSeconds(3);
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final AckLedger ledger = new AckLedger();
    private final AtomicReference<Exception> producerFailure = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> results = new LinkedHashMap<>();
    private List<MicroBroker> brokers;

    @Test
    void theClusterHealsAfterEveryPartitionAndNoAcknowledgedRecordIsLost() throws Exception {
        Path work = ItEnvironment.workDir("partition");
        String members = "tcpip:" + IntStream.rangeClosed(1, BROKERS)
                .mapToObj(i -> PartitionNetwork.gridHost(i) + ":6900").collect(Collectors.joining(","));
        try (PartitionNetwork network = PartitionNetwork.create(BROKERS);
             PostgresServer postgres = PostgresServer.start(PartitionNetwork.DATABASE_HOST,
                     PartitionNetwork.TRUSTED_NETWORK)) {
            brokers = new ArrayList<>();
            try {
                for (int i = 1; i <= BROKERS; i++)
                    brokers.add(MicroBroker.startInNamespace(work.resolve("data-" + i),
                            work.resolve("broker-" + i + ".log"), PartitionNetwork.runIn(i),
                            PartitionNetwork.serviceHost(i), new GridMember(members, 6900),
                            PartitionNetwork.gridHost(i), postgres.jdbcUrl(), List.of()));
                run(network);
                verifyNoChurn(postgres.jdbcUrl());
            } finally {
                for (MicroBroker broker : brokers)
                    broker.close();
            }
        }
    }

    private void run(PartitionNetwork network) throws Exception {
        String bootstrap = brokers.stream().map(MicroBroker::kafkaBootstrap).collect(Collectors.joining(","));
        try (Admin admin = Admin.create(ItEnvironment.withKafkaLogin(Map.of("bootstrap.servers", bootstrap)))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) BROKERS)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        awaitHealthy("after start", STARTUP);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(bootstrap, producing), "partition-it-producer");
        producer.start();
        try {
            awaitAcknowledged(200, STARTUP);
            int leader = leaderOtherThanController();
            scenario("broker " + leader + " (a leader) cut off entirely", () -> network.isolate(index(leader)),
                    network);
            int gridCut = leaderOtherThanController();
            scenario("broker " + gridCut + " (a leader) cut off from the data grid only",
                    () -> network.cutGrid(index(gridCut)), network);
            int databaseCut = leaderOtherThanController();
            scenario("broker " + databaseCut + " (a leader) cut off from the database only",
                    () -> network.cutDatabase(index(databaseCut)), network);
            int controller = controllerId();
            scenario("the controller's broker (" + controller + ") cut off entirely",
                    () -> network.isolate(index(controller)), network);
            int oneWay = leaderOtherThanController();
            scenario("one way: nothing broker " + oneWay + " sends to the other brokers arrives",
                    () -> network.cutOutgoingToBrokers(index(oneWay)), network);
            flapping(network, brokerOtherThanController());
            soak(network);
        } finally {
            producing.set(false);
            producer.join(Duration.ofSeconds(150).toMillis());
        }
        assertEquals(null, producerFailure.get(), "the producer failed");
        verifyHistory();
        System.out.println("PartitionIT: " + ledger.count() + " records acknowledged, " + ledger.failures()
                + " sends given up (never acknowledged); unavailability windows and time to healthy after the"
                + " heal:");
        results.forEach((name, result) -> System.out.println("PartitionIT: " + name + ": " + result));
    }

    /** Holds a fault for {@link #HOLD}, heals it, and waits for the cluster to be healthy on its own. */
    private void scenario(String name, Runnable fault, PartitionNetwork network) {
        int ackedBefore = ledger.count();
        long start = System.nanoTime();
        fault.run();
        hold(HOLD);
        network.heal();
        long healed = System.nanoTime();
        measure(name, start, healed, ackedBefore);
    }

    /** Cut and heal every {@link #FLAP_PERIOD} for {@link #FLAPPING}, then heal for good. */
    private void flapping(PartitionNetwork network, int brokerId) {
        int ackedBefore = ledger.count();
        long start = System.nanoTime();
        long end = start + FLAPPING.toNanos();
        while (System.nanoTime() < end) {
            network.isolate(index(brokerId));
            hold(FLAP_PERIOD);
            network.heal();
            hold(FLAP_PERIOD);
        }
        network.heal();
        measure("broker " + brokerId + "'s link flapping every " + FLAP_PERIOD.toSeconds() + " s for "
                + FLAPPING.toSeconds() + " s", start, System.nanoTime(), ackedBefore);
    }

    /**
     * The longer soak, off by default ({@code -Dtributary.partition.soak.minutes=N}): faults of every kind on
     * brokers chosen at random (the seed is printed, {@code -Dtributary.partition.soak.seed} replays it), each held
     * {@link #HOLD} and healed, the cluster healthy again after each, until the time is up.
     */
    private void soak(PartitionNetwork network) {
        long minutes = Long.getLong("tributary.partition.soak.minutes", 0);
        if (minutes <= 0)
            return;
        long seed = Long.getLong("tributary.partition.soak.seed", System.nanoTime());
        System.out.println("PartitionIT: soaking for " + minutes + " min, seed " + seed);
        Random random = new Random(seed);
        long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        for (int round = 1; System.nanoTime() < end; round++) {
            int victim = random.nextInt(BROKERS) + 1;
            int kind = random.nextInt(4);
            Runnable fault = switch (kind) {
                case 0 -> () -> network.isolate(victim);
                case 1 -> () -> network.cutGrid(victim);
                case 2 -> () -> network.cutDatabase(victim);
                default -> () -> network.cutOutgoingToBrokers(victim);
            };
            scenario("soak round " + round + ": fault " + kind + " on broker " + (victim - 1), fault, network);
        }
    }

    private void measure(String name, long faultStart, long healed, int ackedBefore) {
        awaitHealthy(name, HEALTHY_WITHIN);
        awaitAcknowledged(Math.max(ackedBefore, ledger.count()) + 50, HEALTHY_WITHIN);
        long healthy = System.nanoTime();
        long window = ledger.longestSilenceMs(PARTITIONS, faultStart, healthy);
        results.put(name, "longest time without an acknowledged write " + window + " ms; healthy "
                + (healthy - healed) / 1_000_000 + " ms after the heal");
    }

    /** A fault's duration: the scenario itself, not a wait for something to happen. */
    private static void hold(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void produce(String bootstrap, AtomicBoolean running) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.putAll(ItEnvironment.kafkaLogin());
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("delivery.timeout.ms", "120000");
        props.put("request.timeout.ms", "10000");
        props.put("linger.ms", "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (long n = 0; running.get(); n++) {
                long value = n;
                int partition = (int) (n % PARTITIONS);
                producer.send(new ProducerRecord<>(TOPIC, partition, "k" + partition, Long.toString(value)),
                        (metadata, e) -> {
                            if (e == null)
                                ledger.acknowledged(value, metadata.partition(), metadata.offset());
                            else
                                ledger.failed();
                        });
                if (n % 30 == 29) {
                    // a steady trickle (about 600 records a second), not a flood the brokers' two cores drown in
                    Thread.sleep(50);
                }
            }
            producer.flush();
        } catch (Exception e) {
            producerFailure.compareAndSet(null, e);
        }
    }

    /**
     * Every broker's replica against the history: same records everywhere, every acknowledged one at its offset,
     * none twice, in order, leader epochs never going back.
     */
    private void verifyHistory() {
        Map<Integer, List<Long>> reference = null;
        awaitReplicasEqual();
        for (MicroBroker broker : brokers) {
            Map<Integer, List<Long>> replica = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++)
                replica.put(p, readReplica(broker, p));
            if (reference == null)
                reference = replica;
            else
                assertEquals(reference, replica, "broker at " + broker.apiBase() + " holds the same records");
        }
        for (int p = 0; p < PARTITIONS; p++) {
            List<Long> values = reference.get(p);
            assertEquals(values.size(), values.stream().distinct().count(), "partition " + p + " has no duplicate");
            for (int i = 1; i < values.size(); i++)
                assertTrue(values.get(i) > values.get(i - 1), "partition " + p + " keeps the order written, at "
                        + i);
        }
        for (Map.Entry<Long, AckLedger.Position> ack : ledger.acknowledged().entrySet()) {
            List<Long> partition = reference.get(ack.getValue().partition());
            long offset = ack.getValue().offset();
            assertTrue(offset < partition.size() && partition.get((int) offset).equals(ack.getKey()),
                    () -> "acknowledged record " + ack.getKey() + " is at offset " + offset + " of partition "
                            + ack.getValue().partition());
        }
        verifyLeaderEpochs();
    }

    /**
     * No loop of leadership writes (the issue: epochs rising by about 2 a second while a cut-off broker acted as
     * controller): the controller epoch counts take-overs, each partition's epoch every leader and ISR change, and
     * both stay within what the faults themselves explain.
     */
    private void verifyNoChurn(String jdbcUrl) throws SQLException {
        int faults = results.size();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement statement = db.createStatement()) {
            ResultSet controller = statement.executeQuery("SELECT EPOCH FROM TRIB_CONTROLLER");
            controller.next();
            long controllerEpoch = controller.getLong(1);
            Map<Integer, Integer> partitionEpochs = new HashMap<>();
            ResultSet partitions = statement.executeQuery("SELECT PARTITION_INDEX, PARTITION_EPOCH FROM TRIB_PARTITION"
                    + " WHERE TOPIC_NAME = '" + TOPIC + "'");
            while (partitions.next())
                partitionEpochs.put(partitions.getInt(1), partitions.getInt(2));
            System.out.println("PartitionIT: controller epoch " + controllerEpoch + ", partition epochs "
                    + partitionEpochs + " after " + faults + " faults");
            // At most two take-overs a fault (away from a cut-off controller, and one as the lease expires).
            assertTrue(controllerEpoch <= 1 + 2L * faults, "controller epoch " + controllerEpoch);
            // A fault moves a partition's leader and shrinks and regrows its ISR: a few changes, not a loop; the
            // flapping link may do so in each of its cycles.
            long cycles = FLAPPING.toMillis() / (2 * FLAP_PERIOD.toMillis());
            long bound = 4L * (faults + cycles);
            partitionEpochs.forEach((partition, epoch) -> assertTrue(epoch <= bound,
                    "partition " + partition + " changed " + epoch + " times, more than " + bound));
        }
    }

    /** A record's batch carries the epoch of the leader that appended it: by offset they never go back. */
    private void verifyLeaderEpochs() {
        Properties props = new Properties();
        props.put("bootstrap.servers", brokers.stream().map(MicroBroker::kafkaBootstrap)
                .collect(Collectors.joining(",")));
        props.putAll(ItEnvironment.kafkaLogin());
        props.put("enable.auto.commit", "false");
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p))
                .toList();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<Integer, Integer> epoch = new HashMap<>();
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (!partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "read every partition through Kafka");
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    int leaderEpoch = record.leaderEpoch().orElse(-1);
                    int before = epoch.getOrDefault(record.partition(), -1);
                    assertTrue(leaderEpoch >= before, "partition " + record.partition() + " offset "
                            + record.offset() + ": leader epoch " + leaderEpoch + " after " + before);
                    epoch.put(record.partition(), leaderEpoch);
                }
            }
            System.out.println("PartitionIT: last leader epoch of each partition " + epoch);
        }
    }

    private void awaitReplicasEqual() {
        AtomicReference<String> last = new AtomicReference<>();
        assertTrue(MicroBroker.poll(HEALTHY_WITHIN, () -> {
            Map<Integer, List<Long>> ends = new HashMap<>();
            for (MicroBroker broker : brokers) {
                Optional<JsonObject> topic = getJson(broker, "topics/" + TOPIC);
                if (topic.isEmpty())
                    return false;
                for (JsonValue value : topic.get().getJsonArray("partitions")) {
                    JsonObject partition = value.asJsonObject();
                    ends.computeIfAbsent(partition.getInt("partition"), p -> new ArrayList<>())
                            .add(partition.getJsonNumber("highWatermark").longValue());
                    ends.get(partition.getInt("partition"))
                            .add(partition.getJsonNumber("logEndOffset").longValue());
                }
            }
            last.set(ends.toString());
            return ends.values().stream().allMatch(list -> list.stream().distinct().count() == 1);
        }), () -> "every replica's log end and high watermark agree: " + last.get());
    }

    /** Every record of one replica, by offset, read through that broker's REST API (served from its own log). */
    private List<Long> readReplica(MicroBroker broker, int partition) {
        List<Long> values = new ArrayList<>();
        long offset = 0;
        while (true) {
            JsonObject page = getJson(broker, "topics/" + TOPIC + "/partitions/" + partition + "/records?offset="
                    + offset + "&limit=10000").orElseThrow(() -> new AssertionError(broker.apiBase() + " answers"));
            var records = page.getJsonArray("records");
            if (records.isEmpty())
                return values;
            for (JsonValue value : records) {
                JsonObject record = value.asJsonObject();
                assertEquals(values.size(), record.getJsonNumber("offset").longValue(), "offsets without a gap");
                values.add(Long.parseLong(record.getString("value")));
            }
            offset = page.getJsonNumber("nextOffset").longValue();
        }
    }

    /** Healthy: every broker sees all three alive, one controller, every partition led with its whole ISR. */
    private void awaitHealthy(String after, Duration within) {
        AtomicReference<String> last = new AtomicReference<>("no answer");
        assertTrue(MicroBroker.poll(within, () -> {
            Integer controller = null;
            for (MicroBroker broker : brokers) {
                Optional<JsonObject> cluster = getJson(broker, "cluster");
                if (cluster.isEmpty()) {
                    last.set(broker.apiBase() + " does not answer");
                    return false;
                }
                last.set(broker.apiBase() + ": " + cluster.get());
                JsonObject status = cluster.get();
                long alive = status.getJsonArray("brokers").stream()
                        .filter(b -> b.asJsonObject().getBoolean("alive")).count();
                if (alive != BROKERS || status.isNull("controllerId"))
                    return false;
                if (controller != null && controller != status.getInt("controllerId"))
                    return false;
                controller = status.getInt("controllerId");
                boolean led = status.getJsonArray("leadership").stream().map(JsonValue::asJsonObject)
                        .filter(p -> p.getString("topic").equals(TOPIC))
                        .allMatch(p -> !p.isNull("leader") && p.getJsonArray("isr").size() == BROKERS);
                if (!led)
                    return false;
            }
            return true;
        }), () -> "healthy within " + within + " " + after + "; last seen " + last.get());
    }

    private void awaitAcknowledged(int count, Duration within) {
        assertTrue(MicroBroker.poll(within, () -> ledger.count() >= count || producerFailure.get() != null),
                () -> "the producer got " + count + " acknowledgements; has " + ledger.count());
        assertEquals(null, producerFailure.get(), "the producer failed");
    }

    private int controllerId() {
        for (MicroBroker broker : brokers) {
            Optional<JsonObject> cluster = getJson(broker, "cluster");
            if (cluster.isPresent() && !cluster.get().isNull("controllerId"))
                return cluster.get().getInt("controllerId");
        }
        throw new AssertionError("no broker names a controller");
    }

    private int brokerOtherThanController() {
        int controller = controllerId();
        return controller == 0 ? 1 : 0;
    }

    /**
     * A broker that leads a partition of the topic and is not the controller (so that a fault on it tests the
     * leader's self-fencing apart from the controller's); any other broker if the controller leads them all.
     */
    private int leaderOtherThanController() {
        int controller = controllerId();
        for (MicroBroker broker : brokers) {
            Optional<JsonObject> cluster = getJson(broker, "cluster");
            if (cluster.isEmpty())
                continue;
            Optional<Integer> leader = cluster.get().getJsonArray("leadership").stream().map(JsonValue::asJsonObject)
                    .filter(p -> p.getString("topic").equals(TOPIC) && !p.isNull("leader"))
                    .map(p -> p.getInt("leader")).filter(id -> id != controller).findFirst();
            if (leader.isPresent())
                return leader.get();
        }
        return brokerOtherThanController();
    }

    /** Brokers get ids 0, 1, 2 in start order from the shared database; namespaces are numbered from 1. */
    private static int index(int brokerId) {
        return brokerId + 1;
    }

    private Optional<JsonObject> getJson(MicroBroker broker, String path) {
        String credentials = ItEnvironment.ADMIN + ":" + ItEnvironment.ADMIN_PASSWORD;
        HttpRequest request = HttpRequest.newBuilder(broker.apiBase().resolve(path)).timeout(Duration.ofSeconds(3))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
                return Optional.empty();
            return Optional.of(Json.createReader(new StringReader(response.body())).readObject());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
