package dev.tributary.broker.metadata;

import dev.tributary.broker.topic.PartitionLeadership;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A partition's leadership row (schema V7); broker id lists are kept as comma-separated text. */
@Entity
@Table(name = "TRIB_PARTITION")
@IdClass(PartitionEntity.Key.class)
public class PartitionEntity {

    @Id
    @Column(name = "TOPIC_NAME", length = 249)
    private String topic;

    @Id
    @Column(name = "PARTITION_INDEX")
    private int partition;

    @Column(name = "REPLICAS", nullable = false, length = 2000)
    private String replicas;

    @Column(name = "LEADER", nullable = false)
    private int leader;

    @Column(name = "LEADER_EPOCH", nullable = false)
    private int leaderEpoch;

    @Column(name = "ISR", nullable = false, length = 2000)
    private String isr;

    @Column(name = "PARTITION_EPOCH", nullable = false)
    private int partitionEpoch;

    protected PartitionEntity() {
        // for JPA
    }

    static PartitionEntity from(PartitionLeadership leadership) {
        PartitionEntity entity = new PartitionEntity();
        entity.topic = leadership.topic();
        entity.partition = leadership.partition();
        entity.replicas = join(leadership.replicas());
        entity.leader = leadership.leader();
        entity.leaderEpoch = leadership.leaderEpoch();
        entity.isr = join(leadership.isr());
        entity.partitionEpoch = leadership.partitionEpoch();
        return entity;
    }

    PartitionLeadership toLeadership() {
        return new PartitionLeadership(topic, partition, split(replicas), leader, leaderEpoch, split(isr),
                partitionEpoch);
    }

    static String join(List<Integer> brokers) {
        return brokers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Integer> split(String brokers) {
        return brokers.isEmpty() ? List.of() : Arrays.stream(brokers.split(",")).map(Integer::valueOf).toList();
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String topic;
        private int partition;

        public Key() {
        }

        Key(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && partition == other.partition && Objects.equals(topic, other.topic);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, partition);
        }
    }
}
