package dev.tributary.broker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An in-process member and a stock KafkaConsumer in one consumer group, through the real coordinator. */
class GroupMemberTest {

    private static final String TOPIC = "shared";
    private static final int PARTITIONS = 4;
    private static final MemberTimeouts FAST = new MemberTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMillis(200));

    @TempDir
    Path dataDir;

    private Broker broker;
    private KafkaServer kafka;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC());
        kafka = KafkaServer.start(broker, KafkaListenerConfig.of("127.0.0.1", 0), Executors.defaultThreadFactory());
        broker.topicAdministration().create(new NewTopic(TOPIC, PARTITIONS, (short) 1, Map.of()));
    }

    @AfterEach
    void stop() {
        kafka.close();
        broker.close();
    }

    @Test
    void sharesPartitionsWithAKafkaConsumerAndLeavesWithoutASessionTimeout() throws Exception {
        GroupMember member = new GroupMember(broker.groups(), broker.topicMetadata(), "mixed", List.of(TOPIC), "mdb", FAST);
        AtomicReference<Set<TopicPartition>> memberAssignment = new AtomicReference<>(Set.of());
        Thread driver = new Thread(() -> drive(member, memberAssignment), "member-driver");
        driver.start();
        try (KafkaConsumer<String, String> consumer = consumer("mixed")) {
            consumer.subscribe(List.of(TOPIC));
            pollUntil(consumer, () -> consumer.assignment().size() == PARTITIONS / 2
                    && memberAssignment.get().size() == PARTITIONS / 2);
            Set<TopicPartition> all = new HashSet<>(consumer.assignment());
            all.addAll(memberAssignment.get());
            assertEquals(PARTITIONS, all.size(), "the two members split the partitions: " + consumer.assignment()
                    + " and " + memberAssignment.get());

            // The member's commits are the group's: the Kafka consumer sees them.
            TopicPartition mine = memberAssignment.get().iterator().next();
            assertTrue(member.commit(mine, 42));
            assertEquals(42, consumer.committed(Set.of(mine)).get(mine).offset());

            driver.interrupt();
            driver.join(10_000);
            member.close();
            long leftAt = System.nanoTime();
            pollUntil(consumer, () -> consumer.assignment().size() == PARTITIONS);
            assertTrue(System.nanoTime() - leftAt < FAST.session().toNanos(),
                    "the group rebalanced because the member left, not because its session expired");
            assertEquals(Map.of(mine, new OffsetAndMetadata(42)), consumer.committed(Set.of(mine)));
        } finally {
            driver.interrupt();
        }
    }

    @Test
    void aRebalanceIsNoticedByTheHeartbeatAndTheMemberRejoinsForItsShare() throws Exception {
        GroupMember first = new GroupMember(broker.groups(), broker.topicMetadata(), "g", List.of(TOPIC), "a", FAST);
        GroupMember second = new GroupMember(broker.groups(), broker.topicMetadata(), "g", List.of(TOPIC), "b", FAST);
        assertEquals(PARTITIONS, first.ensureActive(Duration.ofSeconds(30)).size());

        // The second member's join parks until the first rejoins: the group is rebalancing meanwhile.
        Thread joiner = new Thread(() -> {
            try {
                second.ensureActive(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        joiner.start();
        awaitTrue(() -> !first.heartbeat());

        Set<TopicPartition> rejoined = first.ensureActive(Duration.ofSeconds(30));
        joiner.join(30_000);
        assertEquals(PARTITIONS / 2, rejoined.size());
        assertTrue(first.heartbeat(), "stable again");
        first.close();
        second.close();
    }

    @Test
    void theLeaderReassignsWhenASubscribedTopicAppears() throws Exception {
        GroupMember member = new GroupMember(broker.groups(), broker.topicMetadata(), "early", List.of(TOPIC, "later"),
                "mdb", FAST);
        assertEquals(PARTITIONS, member.ensureActive(Duration.ofSeconds(30)).size());
        assertTrue(member.heartbeat());

        broker.topicAdministration().create(new NewTopic("later", 2, (short) 1, Map.of()));

        assertTrue(!member.heartbeat(), "the leader notices the new topic");
        assertEquals(PARTITIONS + 2, member.ensureActive(Duration.ofSeconds(30)).size());
        member.close();
    }

    /**
     * MDBs keep the classic protocol: a group whose members use the consumer protocol (KIP-848) refuses an MDB's
     * member with an error that names why; once those members left, the MDB's member takes the group over.
     */
    @Test
    void aMemberIsRefusedByAConsumerProtocolGroupWithMembersAndJoinsItOnceEmpty() throws Exception {
        GroupMember member = new GroupMember(broker.groups(), broker.topicMetadata(), "modern", List.of(TOPIC), "mdb",
                FAST);
        try (KafkaConsumer<String, String> consumer = consumer("modern", "consumer")) {
            consumer.subscribe(List.of(TOPIC));
            pollUntil(consumer, () -> consumer.assignment().size() == PARTITIONS);
            GroupMemberException refused = assertThrows(GroupMemberException.class,
                    () -> member.ensureActive(Duration.ofSeconds(30)));
            assertTrue(refused.getMessage().contains("INCONSISTENT_GROUP_PROTOCOL"), refused.getMessage());
        }
        assertEquals(PARTITIONS, member.ensureActive(Duration.ofSeconds(30)).size());
        member.close();
    }

    private static void drive(GroupMember member, AtomicReference<Set<TopicPartition>> assignment) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                assignment.set(member.ensureActive(Duration.ofSeconds(30)));
                while (member.heartbeat()) {
                    Thread.sleep(FAST.heartbeatInterval().toMillis());
                }
                assignment.set(Set.of());
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private KafkaConsumer<String, String> consumer(String groupId) {
        return consumer(groupId, "classic");
    }

    /** A stock consumer of the group with {@code group.protocol} {@code classic} or {@code consumer}. */
    private KafkaConsumer<String, String> consumer(String groupId, String protocol) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (protocol.equals("classic")) {
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "200"); // the broker decides it otherwise
        }
        return new KafkaConsumer<>(props);
    }

    private static void pollUntil(KafkaConsumer<String, String> consumer, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 30 s; consumer has "
                    + consumer.assignment());
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 30 s");
            Thread.sleep(50);
        }
    }
}
