package dev.tributary.broker.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of TRIB_CONSUMER_GROUP (schema V8): one consumer group of the consumer group protocol, as an encoded
 * snapshot. {@code version} is compared and bumped by {@link JpaConsumerGroupStore} under a row lock, not by JPA's
 * optimistic locking: the version a write expects comes from the coordinator's memory, not from this entity.
 */
@Entity
@Table(name = "TRIB_CONSUMER_GROUP")
public class ConsumerGroupEntity {

    @Id
    @Column(name = "GROUP_ID", length = 255)
    private String groupId;

    @Column(name = "VERSION", nullable = false)
    private long version;

    @Column(name = "GROUP_EPOCH", nullable = false)
    private int groupEpoch;

    @Column(name = "MEMBERS", nullable = false)
    private int members;

    @Column(name = "SNAPSHOT", nullable = false)
    private byte[] snapshot;

    @Column(name = "UPDATED_AT_MS", nullable = false)
    private long updatedAtMs;

    protected ConsumerGroupEntity() {
        // for JPA
    }

    ConsumerGroupEntity(String groupId) {
        this.groupId = groupId;
    }

    void write(long newVersion, int newGroupEpoch, int memberCount, byte[] encoded, long nowMs) {
        version = newVersion;
        groupEpoch = newGroupEpoch;
        members = memberCount;
        snapshot = encoded;
        updatedAtMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    long version() {
        return version;
    }

    byte[] snapshot() {
        return snapshot;
    }
}
