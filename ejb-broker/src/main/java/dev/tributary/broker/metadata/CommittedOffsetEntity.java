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

/**
 * One group's committed offset in one partition (schema: {@code V2__committed_offsets.sql}). No version column:
 * offsets are last-writer-wins by design, and who may write is decided by the coordinator (group generation), not
 * by the row.
 */
@Entity
@Table(name = "TRIB_COMMITTED_OFFSET")
@IdClass(CommittedOffsetEntity.Key.class)
public class CommittedOffsetEntity {

    @Id
    @Column(name = "GROUP_ID", length = 255)
    private String groupId;

    @Id
    @Column(name = "TOPIC", length = 249)
    private String topic;

    @Id
    @Column(name = "PARTITION_ID")
    private int partition;

    @Embedded
    private OffsetColumns committed;

    protected CommittedOffsetEntity() {
        // for JPA
    }

    static CommittedOffsetEntity from(String groupId, TopicPartition partition, CommittedOffset committed) {
        CommittedOffsetEntity entity = new CommittedOffsetEntity();
        entity.groupId = groupId;
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

    /** The primary key (GROUP_ID, TOPIC, PARTITION_ID). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String groupId;
        private String topic;
        private int partition;

        public Key() {
            // for JPA
        }

        Key(String groupId, TopicPartition partition) {
            this.groupId = groupId;
            this.topic = partition.topic();
            this.partition = partition.partition();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && groupId.equals(other.groupId) && topic.equals(other.topic)
                    && partition == other.partition;
        }

        @Override
        public int hashCode() {
            return Objects.hash(groupId, topic, partition);
        }
    }
}
