package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.group.OffsetStoreException;
import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.replication.TransactionMarkerWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest.TxnMarkerEntry;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * WriteTxnMarkers, from another broker's transaction coordinator: appends each marker to the partitions this broker
 * leads ({@link TransactionMarkerWriter#appendLocally}: answered once durable and held by the in-sync replicas), and
 * for Kafka's offsets topic ({@value TransactionMarkerWriter#GROUP_MARKER_TOPIC}) completes the producer's pending
 * transactional offsets in the groups this broker coordinates. Other partitions answer NOT_LEADER_OR_FOLLOWER, and
 * the coordinator asks again.
 */
public final class WriteTxnMarkersHandler implements ApiHandler {

    private final TransactionMarkerWriter markers;
    private final GroupCoordinator groups;

    public WriteTxnMarkersHandler(TransactionMarkerWriter markers, GroupCoordinator groups) {
        this.markers = markers;
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.WRITE_TXN_MARKERS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.WRITE_TXN_MARKERS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        Map<Long, Map<TopicPartition, CompletableFuture<Errors>>> pending = new LinkedHashMap<>();
        List<CompletableFuture<Errors>> all = new ArrayList<>();
        for (TxnMarkerEntry marker : request.body(WriteTxnMarkersRequest.class).markers()) {
            boolean commit = marker.transactionResult() == TransactionResult.COMMIT;
            Map<TopicPartition, CompletableFuture<Errors>> results =
                    pending.computeIfAbsent(marker.producerId(), id -> new LinkedHashMap<>());
            for (TopicPartition tp : marker.partitions()) {
                CompletableFuture<Errors> result = tp.topic().equals(TransactionMarkerWriter.GROUP_MARKER_TOPIC)
                        ? CompletableFuture.completedFuture(completeGroups(marker.producerId(), commit))
                        : markers.appendLocally(tp, marker.producerId(), marker.producerEpoch(),
                                marker.coordinatorEpoch(), commit);
                results.put(tp, result);
                all.add(result);
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Long, Map<TopicPartition, Errors>> errors = new LinkedHashMap<>();
            pending.forEach((producerId, results) -> {
                Map<TopicPartition, Errors> byPartition = new LinkedHashMap<>();
                results.forEach((tp, result) -> byPartition.put(tp, result.join()));
                errors.put(producerId, byPartition);
            });
            return new WriteTxnMarkersResponse(errors);
        });
    }

    private Errors completeGroups(long producerId, boolean commit) {
        try {
            groups.completeTransaction(producerId, commit);
            return Errors.NONE;
        } catch (OffsetStoreException e) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }
}
