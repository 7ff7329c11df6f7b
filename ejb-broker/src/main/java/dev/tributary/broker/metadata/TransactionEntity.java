package dev.tributary.broker.metadata;

import dev.tributary.broker.txn.TransactionMetadata;
import dev.tributary.broker.txn.TransactionState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/** A transactional id's row (schema V8); partitions and groups are newline-separated text. */
@Entity
@Table(name = "TRIB_TRANSACTION")
public class TransactionEntity {

    @Id
    @Column(name = "TRANSACTIONAL_ID", length = 1024)
    private String transactionalId;

    @Column(name = "PRODUCER_ID", nullable = false)
    private long producerId;

    @Column(name = "PRODUCER_EPOCH", nullable = false)
    private int producerEpoch;

    @Column(name = "LAST_PRODUCER_EPOCH", nullable = false)
    private int lastProducerEpoch;

    @Column(name = "NEXT_PRODUCER_ID", nullable = false)
    private long nextProducerId;

    @Column(name = "TIMEOUT_MS", nullable = false)
    private int timeoutMs;

    @Column(name = "STATE", nullable = false, length = 32)
    private String state;

    @Column(name = "PARTITIONS", nullable = false, length = 1_000_000)
    private String partitions;

    @Column(name = "GROUPS_JOINED", nullable = false, length = 1_000_000)
    private String groups;

    @Column(name = "START_TIME_MS", nullable = false)
    private long startTimeMs;

    @Column(name = "LAST_UPDATE_MS", nullable = false)
    private long lastUpdateMs;

    @Column(name = "TXN_VERSION", nullable = false)
    private int transactionVersion;

    @Column(name = "ROW_VERSION", nullable = false)
    private long version;

    protected TransactionEntity() {
        // for JPA
    }

    static TransactionEntity from(TransactionMetadata m) {
        TransactionEntity entity = new TransactionEntity();
        entity.transactionalId = m.transactionalId();
        entity.copy(m);
        return entity;
    }

    /** Takes every column but the id from {@code m}. */
    void copy(TransactionMetadata m) {
        producerId = m.producerId();
        producerEpoch = m.producerEpoch();
        lastProducerEpoch = m.lastProducerEpoch();
        nextProducerId = m.nextProducerId();
        timeoutMs = m.timeoutMs();
        state = m.state().name();
        partitions = m.partitions().stream().map(tp -> tp.topic() + ":" + tp.partition())
                .collect(Collectors.joining("\n"));
        groups = String.join("\n", m.groups());
        startTimeMs = m.startTimeMs();
        lastUpdateMs = m.lastUpdateMs();
        transactionVersion = m.transactionVersion();
        version = m.version();
    }

    long version() {
        return version;
    }

    TransactionMetadata toMetadata() {
        Set<TopicPartition> parsed = new LinkedHashSet<>();
        for (String entry : lines(partitions)) {
            int colon = entry.lastIndexOf(':');
            parsed.add(new TopicPartition(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1))));
        }
        return new TransactionMetadata(transactionalId, producerId, (short) producerEpoch, (short) lastProducerEpoch,
                timeoutMs, TransactionState.valueOf(state), parsed, new LinkedHashSet<>(lines(groups)),
                startTimeMs, lastUpdateMs, transactionVersion, version, nextProducerId);
    }

    private static java.util.List<String> lines(String text) {
        return text == null || text.isEmpty() ? java.util.List.of() : Arrays.asList(text.split("\n"));
    }
}
