package dev.tributary.broker.kafka.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.group.CoordinatorPlacement;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/**
 * FindCoordinator in a cluster names the broker {@link CoordinatorPlacement} places the group on, at the address it
 * announces, in the single-key (v0-3) and the batched (v4+) forms.
 */
class FindCoordinatorPlacementTest {

    private static final BrokerEndpoint SELF = new BrokerEndpoint(0, "self.example", 9000, "cluster");
    private static final List<String> GROUPS = List.of("orders", "payments", "shipping", "audit", "billing",
            "search", "mail");

    private final AtomicReference<ClusterView> live = new AtomicReference<>(new ClusterView(List.of()));
    private final FindCoordinatorHandler handler = new FindCoordinatorHandler(SELF, live::get);

    @Test
    void eachGroupIsNamedWithItsCoordinatorsAnnouncedAddressAtEveryVersion() {
        ClusterView cluster = new ClusterView(List.of(broker(0, "self.example:9000"),
                broker(1, "kafka-1.example:9001"), broker(2, "0:0:0:0:0:0:0:1:9002")));
        live.set(cluster);
        for (short v = ApiKeys.FIND_COORDINATOR.oldestVersion(); v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
            List<Coordinator> answers = find(v, GROUPS);
            for (int i = 0; i < GROUPS.size(); i++) {
                BrokerInfo expected = CoordinatorPlacement.coordinator(GROUPS.get(i), cluster).orElseThrow();
                Coordinator answer = answers.get(i);
                assertEquals(Errors.NONE.code(), answer.errorCode(), "v" + v);
                assertEquals(expected.id(), answer.nodeId(), "v" + v + " " + GROUPS.get(i));
                assertEquals(expected.kafkaAddress(), answer.host() + ":" + answer.port(), "v" + v);
            }
            List<Integer> named = answers.stream().map(Coordinator::nodeId).distinct().toList();
            assertEquals(3, named.size(), () -> "these groups are spread over all three brokers: " + named);
        }
    }

    @Test
    void beforeJoiningAClusterTheBrokerNamesItself() {
        for (short v : new short[] {3, 4}) {
            Coordinator answer = find(v, List.of("orders")).get(0);
            assertEquals(Errors.NONE.code(), answer.errorCode());
            assertEquals(List.of(0, "self.example", 9000), List.of(answer.nodeId(), answer.host(), answer.port()));
        }
    }

    @Test
    void withNoLiveBrokerThatAnnouncesAKafkaAddressTheCoordinatorIsNotAvailable() {
        live.set(new ClusterView(List.of(broker(1, ""), broker(2, ""))));
        for (short v : new short[] {0, 3, 4}) {
            Coordinator answer = find(v, List.of("orders")).get(0);
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), answer.errorCode(), "v" + v);
            assertEquals(-1, answer.nodeId());
        }
    }

    private static BrokerInfo broker(int id, String kafkaAddress) {
        return new BrokerInfo(id, "cluster", kafkaAddress, Optional.empty(), false);
    }

    /** One request with the keys (one request per key before v4), answered as the wire would carry it. */
    private List<Coordinator> find(short version, List<String> keys) {
        if (version < FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            return keys.stream().map(key -> {
                FindCoordinatorResponse response = call(version, new FindCoordinatorRequestData().setKey(key));
                return new Coordinator().setKey(key).setErrorCode(response.data().errorCode())
                        .setNodeId(response.data().nodeId()).setHost(response.data().host())
                        .setPort(response.data().port());
            }).toList();
        }
        return call(version, new FindCoordinatorRequestData().setCoordinatorKeys(keys)).data().coordinators();
    }

    private FindCoordinatorResponse call(short version, FindCoordinatorRequestData data) {
        data.setKeyType(CoordinatorType.GROUP.id());
        FindCoordinatorRequest request = new FindCoordinatorRequest.Builder(data).build(version);
        RequestHeader header = new RequestHeader(ApiKeys.FIND_COORDINATOR, version, "test", 1);
        FindCoordinatorResponse response = (FindCoordinatorResponse) handler.handle(
                new KafkaRequest(header, request, version, "test", "127.0.0.1", null, () -> { })).join();
        MessageUtil.toByteBufferAccessor(response.data(), version); // writable at the version asked
        return response;
    }
}
