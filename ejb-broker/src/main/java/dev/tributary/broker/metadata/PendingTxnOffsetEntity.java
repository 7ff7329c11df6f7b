package dev.tributary.broker.metadata;

import dev.tributary.broker.group.CommittedOffset;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** An offset a transactional producer committed for a group, pending its transaction's end (schema V8). */
@Entity
@Table(name = "TRIB_PENDING_TXN_OFFSET")
@IdClass(PendingTxnOffsetEntity.Key.class)
public class PendingTxnOffsetEntity {

    @Id
    @Column(name = "GROUP_ID", length = 255)
    private String groupId;

    @Id
    @Column(name = "PRODUCER_ID")
    private long producerId;

    @Id
    @Column(name = "TOPIC", length = 249)
    private String topic;

    @Id
    @Column(name = "PARTITION_ID")
    private int partition;

    @Embedded
    private OffsetColumns committed;

    protected PendingTxnOffsetEntity() {
        // for JPA
    }

    static PendingTxnOffsetEntity from(String groupId, long producerId, TopicPartition partition,
                                       CommittedOffset committed) {
        PendingTxnOffsetEntity entity = new PendingTxnOffsetEntity();
        entity.groupId = groupId;
        entity.producerId = producerId;
        entity.topic = partition.topic();
        entity.partition = partition.partition();
        entity.committed = OffsetColumns.from(committed);
        return entity;
    }

    String groupId() {
        return groupId;
    }

    TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    CommittedOffset toCommittedOffset() {
        return committed.toCommittedOffset();
    }

    /** The primary key (GROUP_ID, PRODUCER_ID, TOPIC, PARTITION_ID). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String groupId;
        private long producerId;
        private String topic;
        private int partition;

        public Key() {
            // for JPA
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && groupId.equals(other.groupId) && producerId == other.producerId
                    && topic.equals(other.topic) && partition == other.partition;
        }

        @Override
        public int hashCode() {
            return Objects.hash(groupId, producerId, topic, partition);
        }
    }
}
