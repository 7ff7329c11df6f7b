package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.group.GroupState;
import dev.tributary.broker.group.GroupView;
import dev.tributary.broker.group.MemberView;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock consumers' rebalance protocols that go beyond "everyone gives everything back": incremental cooperative
 * rebalancing (KIP-429) and static membership (KIP-345), both driven by the client and relying on the
 * coordinator to answer each step as Kafka's does.
 */
class KafkaConsumerRebalanceTest {

    private static final String TOPIC = "rebalanced";
    private static final String GROUP = "shipping";

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;
    private final ConsumedRecords consumed = new ConsumedRecords();
    private final List<Member> members = new ArrayList<>();

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        try {
            members.forEach(member -> member.consumer.close());
        } finally {
            kafka.close();
        }
    }

    @Test
    void aJoiningCooperativeMemberTakesOnlyWhatTheOthersGiveUpAndNoRecordIsLostOrRepeated() {
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 6, (short) 1, Map.of()));
        Properties cooperative = new Properties();
        cooperative.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        Member a = new Member("a", cooperative);
        Member b = new Member("b", cooperative);
        consumed.pollUntil(List.of(a.consumer, b.consumer), () -> a.owns(3) && b.owns(3));
        kafka.produceNumbered(TOPIC, 0, 600);
        consumed.pollUntil(List.of(a.consumer, b.consumer), () -> consumed.total() == 600);
        Set<TopicPartition> aBefore = Set.copyOf(a.consumer.assignment());
        Set<TopicPartition> bBefore = Set.copyOf(b.consumer.assignment());

        // Records keep coming while c joins: what a and b consumed of the partitions they hand over is committed
        // when they revoke them, so c starts right after it.
        Member c = new Member("c", cooperative);
        kafka.produceNumbered(TOPIC, 600, 150);
        List<KafkaConsumer<String, String>> all = List.of(a.consumer, b.consumer, c.consumer);
        consumed.pollUntil(all, () -> a.owns(2) && b.owns(2) && c.owns(2) && consumed.total() == 750);
        kafka.produceNumbered(TOPIC, 750, 150);
        consumed.pollUntil(all, () -> consumed.total() == 900);

        assertTrue(aBefore.containsAll(a.consumer.assignment()), "a kept the partitions it was not asked for");
        assertTrue(bBefore.containsAll(b.consumer.assignment()), "b kept the partitions it was not asked for");
        assertEquals(difference(aBefore, a.consumer.assignment()), a.revoked,
                "a gave up exactly the partitions that moved: no eager revoke-everything");
        assertEquals(difference(bBefore, b.consumer.assignment()), b.revoked);
        Set<TopicPartition> handedOver = new HashSet<>(a.revoked);
        handedOver.addAll(b.revoked);
        assertEquals(c.consumer.assignment(), handedOver, "c got exactly what a and b handed over");
        assertTrue(a.lost.isEmpty() && b.lost.isEmpty() && c.lost.isEmpty(), "no partition was lost");
        consumed.assertEachOffsetOnceInOrder(900);
    }

    @Test
    void aStaticMemberRestartedWithinItsSessionGetsItsPartitionsBackWithoutARebalance() {
        kafka.broker.topicAdministration().create(new NewTopic(TOPIC, 4, (short) 1, Map.of()));
        Member a = new Member("a", staticMember("instance-a"));
        Member b = new Member("b", staticMember("instance-b"));
        consumed.pollUntil(List.of(a.consumer, b.consumer), () -> a.owns(2) && b.owns(2));
        kafka.produceNumbered(TOPIC, 0, 200);
        consumed.pollUntil(List.of(a.consumer, b.consumer), () -> consumed.total() == 200);
        b.consumer.commitSync();
        int generation = group().generationId();
        Set<TopicPartition> bPartitions = Set.copyOf(b.consumer.assignment());

        b.consumer.close(); // a static member does not leave the group when it closes
        GroupView whileAway = group();
        assertEquals(GroupState.STABLE, whileAway.state());
        assertEquals(Set.of("instance-a", "instance-b"), instanceIds(whileAway));
        kafka.produceNumbered(TOPIC, 200, 200);

        Member restarted = new Member("b", staticMember("instance-b"));
        consumed.pollUntil(List.of(a.consumer, restarted.consumer), () -> consumed.total() == 400);

        assertEquals(bPartitions, restarted.consumer.assignment(), "its old partitions, from its old offsets");
        assertEquals(generation, group().generationId(), "no rebalance");
        assertEquals(generation, a.consumer.groupMetadata().generationId());
        assertEquals(generation, restarted.consumer.groupMetadata().generationId());
        assertEquals(1, a.assignments, "a was never asked to rebalance");
        assertTrue(a.revoked.isEmpty());
        assertEquals(Set.of("instance-a", "instance-b"), instanceIds(group()));
        consumed.assertEachOffsetOnceInOrder(400);
    }

    private static Properties staticMember(String instanceId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        return config;
    }

    private GroupView group() {
        return kafka.broker.groups().group(GROUP).orElseThrow();
    }

    private static Set<String> instanceIds(GroupView group) {
        Set<String> ids = new HashSet<>();
        group.members().stream().map(MemberView::groupInstanceId).flatMap(Optional::stream).forEach(ids::add);
        return ids;
    }

    private static Set<TopicPartition> difference(Set<TopicPartition> before, Set<TopicPartition> after) {
        Set<TopicPartition> difference = new HashSet<>(before);
        difference.removeAll(after);
        return difference;
    }

    /**
     * A subscribed member and what its rebalance listener saw. It commits what it consumed of partitions it is
     * about to give up, so that their next owner starts right after.
     */
    private final class Member implements ConsumerRebalanceListener {
        final KafkaConsumer<String, String> consumer;
        final Set<TopicPartition> revoked = new HashSet<>();
        final Set<TopicPartition> lost = new HashSet<>();
        int assignments;

        Member(String name, Properties overrides) {
            consumer = kafka.groupMember(GROUP, "member-" + name, overrides);
            consumer.subscribe(List.of(TOPIC), this);
            members.add(this);
        }

        boolean owns(int partitions) {
            return consumer.assignment().size() == partitions;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
            if (!partitions.isEmpty()) {
                consumer.commitSync();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments++;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lost.addAll(partitions);
        }
    }
}
