package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.FakeDataGrid;
import dev.tributary.broker.group.ConsumerGroupConfig;
import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.group.GroupSummary;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.testing.Conditions;
import dev.tributary.broker.topic.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers in one JVM, one metadata database, one (fake) data grid, and stock consumers: a group has one
 * coordinator whichever broker its members bootstrap from, and when that broker dies the group moves to the other
 * with its committed offsets.
 *
 * <p>The topic is replicated on both brokers, so the partitions the dying broker led move to the survivor with
 * their records, and the offsets committed for them stay valid.
 */
class ConsumerGroupAcrossBrokersTest {

    private static final String TOPIC = "invoices";
    private static final int PARTITIONS = 4;
    private static final String GROUP = "billing";

    @TempDir
    Path root;

    private final FakeDataGrid.Network grid = new FakeDataGrid.Network();
    private final Map<RunningKafkaBroker, FakeDataGrid> members = new HashMap<>();
    private final List<RunningKafkaBroker> running = new ArrayList<>();
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    private RunningKafkaBroker first;
    private RunningKafkaBroker second;

    @BeforeEach
    void startTwoBrokers() {
        // The same in-memory database under two spellings of its URL: each broker gets its own EclipseLink session
        // and cache, as brokers in separate JVMs have.
        String url = "jdbc:h2:mem:groups-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        first = start("first", url);
        second = start("second", url.toLowerCase());
        // Replicated on both: the partitions the dying broker leads move to the survivor.
        first.broker.topicAdministration().create(new NewTopic(TOPIC, PARTITIONS, (short) 2, Map.of()));
        second.broker.refreshMetadata();
    }

    private RunningKafkaBroker start(String name, String dbUrl) {
        BrokerConfig config = BrokerConfig.embedded(root.resolve(name))
                .withGroups(GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0)
                        .withConsumer(ConsumerGroupConfig.defaults().withTimeouts(6_000, 500)))
                .withDatabase(dbUrl, Optional.empty(), Optional.empty());
        RunningKafkaBroker broker = new RunningKafkaBroker(config, KafkaListenerConfig.of("127.0.0.1", 0));
        running.add(broker);
        FakeDataGrid member = grid.join();
        members.put(broker, member);
        broker.broker.joinCluster(Optional.of(member), broker.kafka.advertisedAddress(), Optional.empty());
        return broker;
    }

    @AfterEach
    void stop() {
        consumers.forEach(consumer -> consumer.close(Duration.ZERO));
        running.forEach(RunningKafkaBroker::close);
    }

    @Test
    void membersBootstrappedToDifferentBrokersFormOneGroupThatSurvivesItsCoordinatorsBroker() throws Exception {
        Coordinator named = coordinatorAsNamedBy(first);
        assertEquals(named, coordinatorAsNamedBy(second), "both brokers name the same coordinator");
        RunningKafkaBroker coordinating = named.nodeId() == first.broker.identity().brokerId() ? first : second;
        RunningKafkaBroker surviving = coordinating == first ? second : first;
        assertEquals(coordinating.kafka.port(), named.port());

        KafkaConsumer<String, String> doomed = member(coordinating, "doomed");
        KafkaConsumer<String, String> survivor = member(surviving, "survivor");
        Map<KafkaConsumer<String, String>, List<String>> consumed = new HashMap<>();
        pollUntil(List.of(doomed, survivor), consumed,
                () -> !doomed.assignment().isEmpty() && !survivor.assignment().isEmpty());
        assertEquals(allPartitions(), union(doomed.assignment(), survivor.assignment()),
                "one group: the partitions are shared out, each to one member");
        assertEquals(PARTITIONS, doomed.assignment().size() + survivor.assignment().size());
        assertEquals(2, coordinating.broker.groups().group(GROUP).orElseThrow().members().size());
        assertFalse(surviving.broker.groups().groups().stream().map(GroupSummary::groupId).toList().contains(GROUP),
                "the other broker has no group of its own");

        // Both members consume, committing synchronously after every poll.
        first.produceNumbered(TOPIC, 0, 200);
        pollUntil(List.of(doomed, survivor), consumed, () -> total(consumed) == 200);
        assertEquals(values(0, 200), all(consumed));
        assertEquals(200, total(consumed), "each record once");
        assertTrue(!consumed.get(doomed).isEmpty() && !consumed.get(survivor).isEmpty(), consumed::toString);

        // The coordinator's broker dies, with its consumer.
        coordinating.close();
        running.remove(coordinating);
        grid.crash(members.get(coordinating));
        doomed.close(Duration.ZERO);
        consumers.remove(doomed);

        // The survivor names itself once it has seen the dead broker's session end (its next heartbeat).
        int survivorId = surviving.broker.identity().brokerId();
        Conditions.await("the survivor names itself coordinator", () -> {
            try {
                return coordinatorAsNamedBy(surviving).nodeId() == survivorId;
            } catch (AssertionError changingMeanwhile) {
                return false; // its two requests were answered on either side of the change
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Membership is not handed over: the survivor finds the new coordinator, is told it is unknown there, and
        // rejoins, alone. (Records produced before it rejoins could be fetched on its old assignment, and their
        // commit refused, to be delivered again: at least once. Producing after keeps the count exact.)
        Map<KafkaConsumer<String, String>, List<String>> afterwards = new HashMap<>();
        pollUntil(List.of(survivor), afterwards, () -> survivor.assignment().equals(allPartitions()));
        assertEquals(1, surviving.broker.groups().group(GROUP).orElseThrow().members().size());
        surviving.produceNumbered(TOPIC, 200, 100);
        pollUntil(List.of(survivor), afterwards, () -> total(afterwards) >= 100);
        assertEquals(values(200, 300), all(afterwards),
                "resumed where both members had committed, the doomed one's partitions included");
        assertEquals(100, total(afterwards), "each record once");
    }

    /**
     * A group of the consumer group protocol (KIP-848) moves with its members: the broker it moves to loads it from
     * the metadata database, the surviving member carries on at its epoch with its partitions (no rebalance), and
     * the dead broker's member, silent, expires after its session and its partitions move over.
     */
    @Test
    void aConsumerProtocolGroupMovesWithItsMembersWhenItsCoordinatorsBrokerDies() throws Exception {
        Coordinator named = coordinatorAsNamedBy(first);
        RunningKafkaBroker coordinating = named.nodeId() == first.broker.identity().brokerId() ? first : second;
        RunningKafkaBroker surviving = coordinating == first ? second : first;
        Set<TopicPartition> lost = new HashSet<>();
        KafkaConsumer<String, String> doomed = consumerProtocolMember(coordinating, "doomed", lost);
        KafkaConsumer<String, String> survivor = consumerProtocolMember(surviving, "survivor", lost);
        Map<KafkaConsumer<String, String>, List<String>> consumed = new HashMap<>();
        pollUntil(List.of(doomed, survivor), consumed,
                () -> doomed.assignment().size() == 2 && survivor.assignment().size() == 2);
        first.produceNumbered(TOPIC, 0, 200);
        pollUntil(List.of(doomed, survivor), consumed, () -> total(consumed) == 200);
        Set<TopicPartition> kept = Set.copyOf(survivor.assignment());
        int epoch = coordinating.broker.groups().group(GROUP).orElseThrow().generationId();

        coordinating.close();
        running.remove(coordinating);
        grid.crash(members.get(coordinating));
        doomed.close(Duration.ZERO);
        consumers.remove(doomed);

        // The survivor finds the new coordinator, which knows it: it keeps its partitions and consumes on.
        surviving.produceNumbered(TOPIC, 200, 100);
        Map<KafkaConsumer<String, String>, List<String>> afterwards = new HashMap<>();
        pollUntil(List.of(survivor), afterwards, () -> survivor.assignment().equals(allPartitions())
                && total(afterwards) == 100);
        assertEquals(values(200, 300), all(afterwards), "the doomed member's partitions from their commits");
        assertEquals(100, total(afterwards), "each record once");
        assertTrue(kept.size() == 2 && survivor.assignment().containsAll(kept));
        assertEquals(Set.of(), lost, "the survivor was never fenced: the new coordinator knew it");
        assertEquals(1, surviving.broker.groups().group(GROUP).orElseThrow().members().size());
        assertTrue(surviving.broker.groups().group(GROUP).orElseThrow().generationId() > epoch,
                "the doomed member expired there, which moved the group on from the epoch it came with");
    }

    /** A consumer-protocol member; partitions it loses without revoking them (it was fenced) go to {@code lost}. */
    private KafkaConsumer<String, String> consumerProtocolMember(RunningKafkaBroker bootstrap, String name,
                                                                 Set<TopicPartition> lost) {
        KafkaConsumer<String, String> consumer = bootstrap.consumerProtocolMember(GROUP, name, new Properties());
        consumers.add(consumer);
        consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                lost.addAll(partitions);
            }
        });
        return consumer;
    }

    private KafkaConsumer<String, String> member(RunningKafkaBroker bootstrap, String name) {
        KafkaConsumer<String, String> consumer = bootstrap.groupMember(GROUP, name, new Properties());
        consumers.add(consumer);
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }


    /** Polls the members in turn, committing what each got before its next poll, until {@code done}. */
    private static void pollUntil(List<KafkaConsumer<String, String>> members,
                                  Map<KafkaConsumer<String, String>, List<String>> consumed, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "consumed " + consumed + "; assignments "
                    + members.stream().map(KafkaConsumer::assignment).toList());
            for (KafkaConsumer<String, String> member : members) {
                List<String> got = consumed.computeIfAbsent(member, m -> new ArrayList<>());
                int before = got.size();
                for (ConsumerRecord<String, String> record : member.poll(Duration.ofMillis(100))) {
                    got.add(record.value());
                }
                if (got.size() > before) {
                    member.commitSync();
                }
            }
        }
    }

    private static Coordinator coordinatorAsNamedBy(RunningKafkaBroker broker) throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(broker.kafka.port())) {
            FindCoordinatorResponse single = socket.call(new FindCoordinatorRequest.Builder(
                    new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id()).setKey(GROUP))
                    .build((short) 3));
            FindCoordinatorResponse batched = socket.call(new FindCoordinatorRequest.Builder(
                    new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id())
                            .setCoordinatorKeys(List.of(GROUP))).build((short) 4));
            Coordinator coordinator = batched.data().coordinators().get(0);
            assertEquals(Errors.NONE.code(), single.data().errorCode());
            assertEquals(Errors.NONE.code(), coordinator.errorCode());
            assertEquals(List.of(single.data().nodeId(), single.data().host(), single.data().port()),
                    List.of(coordinator.nodeId(), coordinator.host(), coordinator.port()), "v3 and v4 agree");
            return coordinator;
        }
    }

    private static Set<TopicPartition> allPartitions() {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).collect(Collectors.toSet());
    }

    private static Set<TopicPartition> union(Set<TopicPartition> a, Set<TopicPartition> b) {
        Set<TopicPartition> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static Set<String> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "value-" + i).collect(Collectors.toSet());
    }

    private static Set<String> all(Map<KafkaConsumer<String, String>, List<String>> consumed) {
        return consumed.values().stream().flatMap(List::stream).collect(Collectors.toSet());
    }

    private static int total(Map<KafkaConsumer<String, String>, List<String>> consumed) {
        return consumed.values().stream().mapToInt(List::size).sum();
    }
}
