package dev.tributary.broker.metadata;

import dev.tributary.broker.topic.TopicRecord;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic row (schema: {@code META-INF/tributary/schema}). {@code version} fences concurrent writers once several
 * brokers share the database. The Kafka topic id is kept as its two 64-bit halves, as Kafka's {@link Uuid} holds
 * it: portable SQL has no common UUID type with a generator, and the halves let {@code V3__topic_ids.sql} back-fill
 * random ids with plain arithmetic on both H2 and PostgreSQL.
 */
@Entity
@Table(name = "TRIB_TOPIC")
public class TopicEntity {

    @Id
    @Column(name = "NAME", length = 249)
    private String name;

    @Column(name = "TOPIC_ID_MSB", nullable = false)
    private long topicIdMostSignificantBits;

    @Column(name = "TOPIC_ID_LSB", nullable = false)
    private long topicIdLeastSignificantBits;

    @Column(name = "PARTITIONS", nullable = false)
    private int partitions;

    @Column(name = "REPLICATION_FACTOR", nullable = false)
    private short replicationFactor;

    @Column(name = "CREATED_AT_MS", nullable = false)
    private long createdAtMillis;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "TRIB_TOPIC_CONFIG", joinColumns = @JoinColumn(name = "TOPIC_NAME"))
    @MapKeyColumn(name = "CONFIG_KEY", length = 255)
    @Column(name = "CONFIG_VALUE", length = 4000, nullable = false)
    private Map<String, String> configOverrides = new HashMap<>();

    @Version
    @Column(name = "VERSION")
    private long version;

    protected TopicEntity() {
        // for JPA
    }

    static TopicEntity from(TopicRecord topic) {
        TopicEntity entity = new TopicEntity();
        entity.name = topic.name();
        entity.topicIdMostSignificantBits = topic.topicId().getMostSignificantBits();
        entity.topicIdLeastSignificantBits = topic.topicId().getLeastSignificantBits();
        entity.partitions = topic.partitions();
        entity.replicationFactor = topic.replicationFactor();
        entity.createdAtMillis = topic.createdAt().toEpochMilli();
        entity.configOverrides = new HashMap<>(topic.configOverrides());
        return entity;
    }

    TopicRecord toRecord() {
        return new TopicRecord(name, new Uuid(topicIdMostSignificantBits, topicIdLeastSignificantBits), partitions,
                replicationFactor, configOverrides, Instant.ofEpochMilli(createdAtMillis));
    }

    void replacePartitionCount(int count) {
        partitions = count;
    }

    void replaceConfigOverrides(Map<String, String> overrides) {
        configOverrides.clear();
        configOverrides.putAll(overrides);
    }
}
