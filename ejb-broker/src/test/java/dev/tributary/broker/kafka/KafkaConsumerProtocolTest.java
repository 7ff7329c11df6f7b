package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.ConsumerGroupConfig;
import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.group.GroupType;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock kafka-clients consumers with {@code group.protocol=consumer} (KIP-848), issue 15's test: three members on six
 * partitions, one leaves, one joins, the broker restarts under them. Throughout, no partition is consumed by two
 * members at once (a member is told of a partition only once its previous owner gave it up) and committed offsets
 * never go backwards; every record is delivered exactly once, in order, since members commit what they consumed
 * when they give a partition up, and the restart moves nothing: the group comes back with its members.
 */
class KafkaConsumerProtocolTest {

    private static final String TOPIC = "shipments";
    private static final String GROUP = "dispatch";

    @TempDir
    Path dataDir;

    private volatile RunningKafkaBroker kafka;
    private final ConsumedRecords consumed = new ConsumedRecords();
    private final Ownership ownership = new Ownership();
    private final List<Member> members = new ArrayList<>();
    private CommittedOffsetsWatcher watcher;

    @AfterEach
    void stop() throws InterruptedException {
        try {
            live().forEach(member -> member.consumer.close());
        } finally {
            if (watcher != null) {
                watcher.stop();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /** Members heartbeat every 500 ms and expire after 10 s without; classic groups start without delay. */
    private BrokerConfig config() {
        return BrokerConfig.embedded(dataDir).withGroups(GroupCoordinatorConfig.defaults()
                .withInitialRebalanceDelayMs(0)
                .withConsumer(ConsumerGroupConfig.defaults().withTimeouts(10_000, 500)));
    }

    @Test
    void threeMembersOneLeavesOneJoinsTheBrokerRestartsAndNoPartitionIsEverConsumedTwiceAtOnce() throws Exception {
        kafka = new RunningKafkaBroker(config(), KafkaListenerConfig.of("127.0.0.1", 0));
        int port = kafka.kafka.port();
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 6, (short) 1, Map.of()));
        watcher = new CommittedOffsetsWatcher(() -> kafka);

        Member a = new Member("a");
        Member b = new Member("b");
        Member c = new Member("c");
        poll(() -> a.owns(2) && b.owns(2) && c.owns(2));
        assertEquals(GroupType.CONSUMER, kafka.broker.groups().group(GROUP).orElseThrow().type());
        kafka.produceNumbered(TOPIC, 0, 600);
        poll(() -> consumed.total() == 600);

        // c leaves: it gives its partitions up (committing what it consumed), a and b take them over.
        kafka.produceNumbered(TOPIC, 600, 300);
        c.close();
        poll(() -> a.owns(3) && b.owns(3) && consumed.total() == 900);

        // d joins while records wait: a and b each give one partition up to it, and keep consuming the rest.
        kafka.produceNumbered(TOPIC, 900, 300);
        a.revoked.clear(); // what they gave up when b and c first joined
        b.revoked.clear();
        Member d = new Member("d");
        poll(() -> a.owns(2) && b.owns(2) && d.owns(2) && consumed.total() == 1200);
        assertTrue(a.revoked.size() == 1 && b.revoked.size() == 1, () -> "each gave exactly one partition to d: "
                + a.revoked + " " + b.revoked + " " + assignments());

        // The broker restarts under the members: the group comes back from the metadata database with them.
        Map<String, Set<TopicPartition>> before = assignments();
        int rebalancesBefore = rebalances();
        kafka.close();
        kafka = new RunningKafkaBroker(config(), KafkaListenerConfig.of("127.0.0.1", port));
        kafka.produceNumbered(TOPIC, 1200, 300);
        poll(() -> consumed.total() >= 1500);
        live().forEach(member -> member.consumer.commitSync());
        watcher.stop();

        assertEquals(List.of(), ownership.violations);
        assertEquals(List.of(), watcher.violations);
        assertTrue(watcher.observations > 0, "the watcher saw commits");
        consumed.assertEachOffsetOnceInOrder(1500);
        assertEquals(before, assignments(), "nobody's partitions moved");
        assertEquals(rebalancesBefore, rebalances(), "no member was told to give anything up or lost anything");
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            assertEquals(1500, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups()
                    .get(GROUP).get(20, TimeUnit.SECONDS);
            assertEquals(GroupState.STABLE, group.groupState());
            assertEquals(org.apache.kafka.common.GroupType.CONSUMER, group.type());
            assertEquals(3, group.members().size());
        }
    }

    /**
     * A group changes protocol only while it is empty, keeping its committed offsets; while it has members, members
     * of the other protocol are refused with an error the stock clients report (this broker does not run classic
     * and consumer members in one group, as Kafka 4 does during an online upgrade).
     */
    @Test
    void aGroupChangesProtocolOnlyWhileEmptyAndKeepsItsOffsets() {
        kafka = new RunningKafkaBroker(config(), KafkaListenerConfig.of("127.0.0.1", 0));
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 2, (short) 1, Map.of()));
        kafka.produceNumbered(TOPIC, 0, 100);

        KafkaConsumer<String, String> classic = kafka.groupMember(GROUP, "classic", new Properties());
        classic.subscribe(List.of(TOPIC));
        consumed.pollUntil(List.of(classic), () -> consumed.total() == 100);
        classic.commitSync();

        try (KafkaConsumer<String, String> refused = kafka.consumerProtocolMember(GROUP, "new", new Properties())) {
            refused.subscribe(List.of(TOPIC));
            GroupIdNotFoundException error = assertThrows(GroupIdNotFoundException.class,
                    () -> pollForever(refused));
            assertTrue(error.getMessage().contains("is a classic group with 1 member(s)"), error.getMessage());
        }

        classic.close(); // the group is empty now: it may change protocol
        kafka.produceNumbered(TOPIC, 100, 50);
        try (KafkaConsumer<String, String> upgraded = kafka.consumerProtocolMember(GROUP, "new", new Properties())) {
            upgraded.subscribe(List.of(TOPIC));
            consumed.pollUntil(List.of(upgraded), () -> consumed.total() == 150);
            upgraded.commitSync();
            assertEquals(GroupType.CONSUMER, kafka.broker.groups().group(GROUP).orElseThrow().type());

            try (KafkaConsumer<String, String> old = kafka.groupMember(GROUP, "classic", new Properties())) {
                old.subscribe(List.of(TOPIC));
                assertThrows(InconsistentGroupProtocolException.class, () -> pollForever(old));
            }
        }

        kafka.produceNumbered(TOPIC, 150, 50);
        try (KafkaConsumer<String, String> downgraded = kafka.groupMember(GROUP, "classic", new Properties())) {
            downgraded.subscribe(List.of(TOPIC));
            consumed.pollUntil(List.of(downgraded), () -> consumed.total() == 200);
            assertEquals(GroupType.CLASSIC, kafka.broker.groups().group(GROUP).orElseThrow().type());
        }
        consumed.assertEachOffsetOnceInOrder(200);
    }

    /** Polls until the consumer throws (the test fails after a minute). */
    private static void pollForever(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        throw new AssertionError("the consumer was never refused");
    }

    private List<Member> live() {
        return members.stream().filter(m -> !m.closed).toList();
    }

    private void poll(BooleanSupplier done) {
        consumed.pollUntil(live().stream().map(m -> m.consumer).toList(), done,
                (consumer, record) -> ownership.delivered(member(consumer), record));
    }

    private Member member(KafkaConsumer<String, String> consumer) {
        return members.stream().filter(m -> m.consumer == consumer).findFirst().orElseThrow();
    }

    private Map<String, Set<TopicPartition>> assignments() {
        Map<String, Set<TopicPartition>> assignments = new HashMap<>();
        live().forEach(m -> assignments.put(m.name, Set.copyOf(m.consumer.assignment())));
        return assignments;
    }

    private int rebalances() {
        return members.stream().mapToInt(m -> m.revoked.size() + m.lost.size() + m.assignedEvents).sum();
    }

    /**
     * Who holds which partition, from the members' rebalance callbacks, which all run on the test thread: a member
     * holds a partition from its onPartitionsAssigned to its onPartitionsRevoked or onPartitionsLost. A member is
     * told of a partition another still holds, or delivers a record of a partition it does not hold: a violation.
     */
    private static final class Ownership {
        private final Map<TopicPartition, String> holders = new HashMap<>();
        final List<String> violations = new ArrayList<>();

        void assigned(String member, Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                String holder = holders.putIfAbsent(tp, member);
                if (holder != null && !holder.equals(member)) {
                    violations.add(tp + " assigned to " + member + " while " + holder + " still holds it");
                }
            }
        }

        void released(String member, Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> holders.remove(tp, member));
        }

        void delivered(Member member, ConsumerRecord<String, String> record) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (!member.name.equals(holders.get(tp))) {
                violations.add(member.name + " delivered offset " + record.offset() + " of " + tp + " held by "
                        + holders.get(tp));
            }
        }
    }

    /** A subscribed member; it commits what it consumed of partitions it gives up, so their next owner goes on. */
    private final class Member implements ConsumerRebalanceListener {
        final String name;
        final KafkaConsumer<String, String> consumer;
        final Set<TopicPartition> revoked = new HashSet<>();
        final Set<TopicPartition> lost = new HashSet<>();
        int assignedEvents;
        boolean closed;

        Member(String name) {
            this.name = name;
            this.consumer = kafka.consumerProtocolMember(GROUP, "member-" + name, new Properties());
            consumer.subscribe(List.of(TOPIC), this);
            members.add(this);
        }

        boolean owns(int partitions) {
            return consumer.assignment().size() == partitions;
        }

        void close() {
            consumer.close(); // leaves the group, giving its partitions up through onPartitionsRevoked
            closed = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoked.addAll(partitions);
                consumer.commitSync();
            }
            ownership.released(name, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assignedEvents++;
            }
            ownership.assigned(name, partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lost.addAll(partitions);
            ownership.released(name, partitions);
        }
    }

    /**
     * Reads the group's committed offsets from the coordinator every few milliseconds, on its own thread, across the
     * restart: an offset smaller than one seen before for the same partition is a violation.
     */
    private static final class CommittedOffsetsWatcher {
        private final Map<TopicPartition, Long> highest = new HashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        volatile int observations;
        private volatile boolean running = true;
        private final Thread thread;

        CommittedOffsetsWatcher(Supplier<RunningKafkaBroker> brokers) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        brokers.get().broker.groups().group(GROUP).ifPresent(group -> group.offsets()
                                .forEach((tp, committed) -> observe(tp, committed.offset())));
                    } catch (RuntimeException restartingOrClosed) {
                        // the broker is between its two lives: look again
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "committed-offsets-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        private void observe(TopicPartition tp, long offset) {
            Long previous = highest.put(tp, offset);
            if (previous != null && offset < previous) {
                violations.add(tp + " went back from " + previous + " to " + offset);
            }
            observations++;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
