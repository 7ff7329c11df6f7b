package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.testing.PostgresServer;
import dev.tributary.it.MicroBroker.GridMember;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Three Payara Micro brokers replicating a topic of 6 partitions, replication factor 3 and min.insync.replicas=2,
 * while an idempotent acks=all producer writes without pause and a consumer reads along: the leader of partition
 * 0 is killed with SIGKILL and restarted, then the leader of another partition. Afterwards every acknowledged record
 * is in the log exactly once, in the order it was sent, every replica holds the same records, and nothing a
 * consumer saw was lost.
 */
class ReplicationIT {

    private static final String TOPIC = "replicated";
    private static final String GROUP = "it-group";
    private static final int PARTITIONS = 6;
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    /** What the producer had acknowledged, by value, with where. */
    private final Map<String, Position> acknowledged = new ConcurrentHashMap<>();
    /** What the running consumer saw, by value. */
    private final Map<String, Position> seen = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> producerFailure = new AtomicReference<>();
    /** What the consumer group's members consumed, by value. */
    private final Set<String> groupSeen = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> groupFailure = new AtomicReference<>();

    record Position(int partition, long offset) {
    }

    @Test
    void acknowledgedRecordsSurviveTheLeadersBeingKilled() throws Exception {
        Path work = ItEnvironment.workDir("replication");
        int[] gridPorts = {ItEnvironment.freePort(), ItEnvironment.freePort(), ItEnvironment.freePort()};
        String members = "tcpip:" + Arrays.stream(gridPorts).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        try (PostgresServer postgres = PostgresServer.start()) {
            List<MicroBroker> brokers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++)
                    brokers.add(MicroBroker.startInGrid(work.resolve("data-" + i), work.resolve("broker-" + i + ".log"),
                            new GridMember(members, gridPorts[i]), Optional.of(postgres.jdbcUrl())));
                run(brokers);
            } finally {
                for (MicroBroker broker : brokers)
                    broker.close();
            }
        }
    }

    private void run(List<MicroBroker> brokers) throws Exception {
        restWorksOnEveryBrokerWhateverItLeads(brokers);
        String bootstrap = brokers.stream().map(MicroBroker::kafkaBootstrap).collect(Collectors.joining(","));
        try (Admin admin = Admin.create(ItEnvironment.withKafkaLogin(Map.of("bootstrap.servers", bootstrap)))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
            awaitFullIsr(admin);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean grouped = new AtomicBoolean(true);
            List<Thread> threads = List.of(
                    new Thread(() -> produce(bootstrap, running), "it-producer"),
                    new Thread(() -> consume(bootstrap, running), "it-consumer"),
                    // members of one group, each first told of a different broker
                    new Thread(() -> groupMember(brokers.get(0).kafkaBootstrap(), grouped), "it-member-0"),
                    new Thread(() -> groupMember(brokers.get(1).kafkaBootstrap(), grouped), "it-member-1"));
            threads.forEach(Thread::start);
            try {
                awaitAcknowledged(500);
                awaitStableGroup(admin);
                List<Long> failovers = new ArrayList<>();
                // First the broker coordinating the group (it leads partitions too), then a leader elsewhere.
                int coordinator = coordinatorOf(admin);
                failovers.add(killLeaderAndRestart(admin, brokers, partitionLedBy(admin, coordinator, true), () -> {
                    assertTrue(MicroBroker.poll(CONVERGENCE, () -> coordinatorOf(admin) != coordinator),
                            "the group's coordinator moved off broker " + coordinator);
                    int seenBefore = groupSeen.size();
                    assertTrue(MicroBroker.poll(CONVERGENCE, () -> groupSeen.size() > seenBefore + 100
                            || groupFailure.get() != null), "the group consumes again");
                    assertEquals(null, groupFailure.get(), "a group member failed");
                }));
                failovers.add(killLeaderAndRestart(admin, brokers, partitionLedBy(admin, coordinator, false),
                        () -> { }));
                awaitAcknowledged(acknowledged.size() + 500);
                System.out.println("ReplicationIT: time to new leader after SIGKILL (ms): " + failovers
                        + "; records acknowledged during the run: " + acknowledged.size());
            } finally {
                running.set(false);
                threads.get(0).join(120_000);
                threads.get(1).join(60_000);
            }
            try {
                assertEquals(null, producerFailure.get(), "the producer failed");
                assertTrue(MicroBroker.poll(CONVERGENCE, () -> groupSeen.containsAll(acknowledged.keySet())
                        || groupFailure.get() != null), "the group consumed every acknowledged record");
            } finally {
                grouped.set(false);
                threads.get(2).join(60_000);
                threads.get(3).join(60_000);
            }
            assertEquals(null, groupFailure.get(), "a group member failed");
            verifyLog(bootstrap);
            verifyReplicasAgree(brokers);
        }
    }

    /**
     * Kills the leader of {@code partition} with SIGKILL, checks that another broker leads it and that writes go on
     * with two brokers (and whatever else {@code whileDown} checks), then restarts it.
     *
     * @return milliseconds from the kill until Metadata named the new leader
     */
    private long killLeaderAndRestart(Admin admin, List<MicroBroker> brokers, int partition, Runnable whileDown) {
        int leader = leaderOf(admin, partition);
        MicroBroker victim = brokers.get(indexOfBroker(brokers, leader));
        int ackedBefore = acknowledged.size();
        long killed = System.nanoTime();
        victim.kill();
        assertTrue(MicroBroker.poll(CONVERGENCE, () -> {
            int now = leaderOf(admin, partition);
            return now >= 0 && now != leader;
        }), "partition " + partition + " got a new leader after broker " + leader + " died");
        long failover = (System.nanoTime() - killed) / 1_000_000;
        awaitAcknowledged(ackedBefore + 500);
        whileDown.run();
        victim.restart();
        awaitFullIsr(admin);
        return failover;
    }

    /**
     * A member of group {@value #GROUP}: records what it consumed, commits after each poll. A commit refused
     * because the group rebalanced (a member or the coordinator moved) is fine: those records come again.
     */
    private void groupMember(String bootstrap, AtomicBoolean running) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.putAll(ItEnvironment.kafkaLogin());
        props.put("group.id", GROUP);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(record -> groupSeen.add(record.value()));
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync();
                    } catch (CommitFailedException | RebalanceInProgressException rebalanced) {
                        // re-delivered after the rebalance
                    }
                }
            }
        } catch (Exception e) {
            groupFailure.compareAndSet(null, e);
        }
    }

    private static void awaitStableGroup(Admin admin) {
        assertTrue(MicroBroker.poll(CONVERGENCE, () -> {
            ConsumerGroupDescription group = describeGroup(admin);
            return group.groupState() == GroupState.STABLE && group.members().size() == 2;
        }), "two members in a stable group");
    }

    private static int coordinatorOf(Admin admin) {
        try {
            return describeGroup(admin).coordinator().id();
        } catch (RuntimeException e) {
            return -1; // not known while the coordinator moves
        }
    }

    private static ConsumerGroupDescription describeGroup(Admin admin) {
        try {
            return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partition that {@code broker} leads ({@code ledBy}) or does not lead. */
    private static int partitionLedBy(Admin admin, int broker, boolean ledBy) {
        return describe(admin).partitions().stream()
                .filter(p -> p.leader() != null && (p.leader().id() == broker) == ledBy)
                .mapToInt(TopicPartitionInfo::partition).findFirst()
                .orElseThrow(() -> new AssertionError("no partition " + (ledBy ? "" : "not ") + "led by " + broker));
    }

    /**
     * Each broker takes a REST write to every partition, forwarding what others lead, and serves REST reads of
     * every partition from its own replica.
     */
    private static void restWorksOnEveryBrokerWhateverItLeads(List<MicroBroker> brokers) {
        String topic = "rest-routed";
        RestClient.Reply created = brokers.get(0).client().post("topics",
                "{\"name\":\"" + topic + "\",\"partitions\":3,\"replicationFactor\":3}");
        assertEquals(201, created.status(), created::toString);
        for (int b = 0; b < brokers.size(); b++) {
            int via = b;
            String records = "{\"records\":[" + IntStream.range(0, 3)
                    .mapToObj(p -> "{\"partition\":" + p + ",\"value\":\"via-broker-" + via + "\"}")
                    .collect(Collectors.joining(",")) + "]}";
            RestClient.Reply written = brokers.get(via).client().post("topics/" + topic + "/records", records);
            assertEquals(200, written.status(), written::toString);
        }
        for (MicroBroker broker : brokers) {
            for (int p = 0; p < 3; p++) {
                String path = "topics/" + topic + "/partitions/" + p + "/records?offset=0";
                assertTrue(MicroBroker.poll(CONVERGENCE, () -> {
                    RestClient.Reply read = broker.client().get(path);
                    return read.status() == 200 && read.json().getJsonArray("records").size() == brokers.size();
                }), () -> "all three records at " + path + ": " + broker.client().get(path));
            }
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
                String value = Long.toString(n);
                producer.send(new ProducerRecord<>(TOPIC, "key-" + (n % 97), value), (metadata, e) -> {
                    if (e != null)
                        producerFailure.compareAndSet(null, e);
                    else
                        acknowledged.put(value, new Position(metadata.partition(), metadata.offset()));
                });
                if (n % 50 == 49) {
                    // a steady stream of at most 2,500 records a second, not a flood that only the buffer absorbs
                    // and that leaves the CI machine's two cores nothing for the brokers' failover
                    producer.flush();
                    Thread.sleep(20);
                }
            }
            producer.flush();
        } catch (Exception e) {
            producerFailure.compareAndSet(null, e);
        }
    }

    private void consume(String bootstrap, AtomicBoolean running) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            consumer.assign(partitions());
            consumer.seekToBeginning(partitions());
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                    seen.put(record.value(), new Position(record.partition(), record.offset()));
            }
        }
    }

    /** The whole log: each acknowledged record once, where it was acknowledged; what the consumer saw, kept. */
    private void verifyLog(String bootstrap) {
        Map<String, Position> logged = new HashMap<>();
        Map<Integer, Long> lastValue = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            consumer.assign(partitions());
            consumer.seekToBeginning(partitions());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions());
            long deadline = System.nanoTime() + CONVERGENCE.toNanos();
            while (!partitions().stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, () -> "read the whole topic within " + CONVERGENCE
                        + ": read to " + partitions().stream().map(consumer::position).toList() + " of " + end);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Position previous = logged.put(record.value(), new Position(record.partition(), record.offset()));
                    assertEquals(null, previous, "record " + record.value() + " is in the log twice");
                    long value = Long.parseLong(record.value());
                    assertTrue(value > lastValue.getOrDefault(record.partition(), -1L),
                            "partition " + record.partition() + " keeps the order records were sent in");
                    lastValue.put(record.partition(), value);
                }
            }
        }
        for (Map.Entry<String, Position> ack : acknowledged.entrySet())
            assertEquals(ack.getValue(), logged.get(ack.getKey()), "acknowledged record " + ack.getKey());
        for (Map.Entry<String, Position> read : seen.entrySet())
            assertEquals(read.getValue(), logged.get(read.getKey()), "a record a consumer saw was lost or moved");
        System.out.println("ReplicationIT: " + logged.size() + " records in the log, " + acknowledged.size()
                + " acknowledged, " + seen.size() + " seen by the running consumer");
    }

    /** Every broker's replica of every partition ends at the same offset once followers caught up. */
    private static void verifyReplicasAgree(List<MicroBroker> brokers) {
        AtomicReference<Map<Integer, Set<Long>>> last = new AtomicReference<>();
        assertTrue(MicroBroker.poll(CONVERGENCE, () -> {
            Map<Integer, Set<Long>> ends = new HashMap<>();
            for (MicroBroker broker : brokers) {
                RestClient.Reply reply = broker.client().get("topics/" + TOPIC);
                assertEquals(200, reply.status(), reply::toString);
                for (var value : reply.json().getJsonArray("partitions")) {
                    JsonObject partition = value.asJsonObject();
                    ends.computeIfAbsent(partition.getInt("partition"), p -> new HashSet<>())
                            .add(partition.getJsonNumber("logEndOffset").longValue());
                }
            }
            last.set(ends);
            return ends.values().stream().allMatch(set -> set.size() == 1);
        }), "every replica ends at the same offset: " + last.get());
    }

    private static void awaitFullIsr(Admin admin) {
        assertTrue(MicroBroker.poll(CONVERGENCE, () -> describe(admin).partitions().stream()
                .allMatch(p -> p.isr().size() == 3 && p.leader() != null)), "every replica in sync");
    }

    private void awaitAcknowledged(int count) {
        assertTrue(MicroBroker.poll(CONVERGENCE, () -> acknowledged.size() >= count || producerFailure.get() != null),
                "the producer got " + count + " acknowledgements; has " + acknowledged.size());
        assertEquals(null, producerFailure.get(), "the producer failed");
    }

    private static int leaderOf(Admin admin, int partition) {
        var leader = describe(admin).partitions().get(partition).leader();
        return leader == null ? -1 : leader.id();
    }

    private static TopicDescription describe(Admin admin) {
        try {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Brokers get ids 0, 1, 2 in start order from the shared database. */
    private static int indexOfBroker(List<MicroBroker> brokers, int brokerId) {
        assertTrue(brokerId >= 0 && brokerId < brokers.size(), "broker id " + brokerId);
        return brokerId;
    }

    private static List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
            partitions.add(new TopicPartition(TOPIC, p));
        return partitions;
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.putAll(ItEnvironment.kafkaLogin());
        props.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
