package dev.tributary.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.topic.PartitionState;
import dev.tributary.broker.topic.TopicDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {

    private static final Instant REGISTERED = Instant.ofEpochMilli(1_000);

    @Test
    void registeredBrokersThatAreNotLiveAreListedAsDownWithTheirLastAddresses() {
        List<RegisteredBroker> registered = List.of(
                new RegisteredBroker(0, REGISTERED, Optional.of("old:9092"), Optional.of("http://old/")),
                new RegisteredBroker(1, REGISTERED, Optional.of("b:9092"), Optional.of("http://b/")),
                new RegisteredBroker(2, REGISTERED, Optional.empty(), Optional.empty()));
        ClusterView live = new ClusterView(List.of(
                new BrokerInfo(1, "c", "b:9092", Optional.of("http://b/"), false),
                new BrokerInfo(0, "c", "new:9092", Optional.of("http://new/"), false)));

        ClusterStatus status = ClusterStatus.of("c", registered, live, Optional.of(0), new PartitionCounts(0, 0, 0),
                List.of());

        assertEquals(Optional.of(0), status.controllerId(), "the holder of the controller lease, not the oldest");
        assertEquals(List.of(
                new BrokerStatus(0, Optional.of("new:9092"), Optional.of("http://new/"), true, true),
                new BrokerStatus(1, Optional.of("b:9092"), Optional.of("http://b/"), true, false),
                new BrokerStatus(2, Optional.empty(), Optional.empty(), false, false)), status.brokers());
    }

    @Test
    void partitionsAreCountedByHealth() {
        PartitionState healthy = new PartitionState(0, 0, List.of(0), List.of(0), 0, 0, 0, 0, Optional.empty());
        PartitionState offline = new PartitionState(1, 0, List.of(0), List.of(0), 0, 0, 0, 0,
                Optional.of("corrupt segment"));
        TopicDescription a = new TopicDescription("a", Uuid.randomUuid(), (short) 1, Map.of(), Map.of(), REGISTERED,
                List.of(healthy, offline));
        PartitionState underReplicated = new PartitionState(1, 0, List.of(0, 1), List.of(0), 0, 0, 0, 0,
                Optional.empty());
        TopicDescription b = new TopicDescription("b", Uuid.randomUuid(), (short) 1, Map.of(), Map.of(), REGISTERED,
                List.of(healthy, underReplicated));

        assertEquals(new PartitionCounts(4, 1, 1), PartitionCounts.of(List.of(a, b)));
    }
}
