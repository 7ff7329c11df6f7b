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

/**
 * A topic row (schema: {@code META-INF/tributary/schema}). {@code version} fences concurrent writers once several
 * brokers share the database.
 */
@Entity
@Table(name = "TRIB_TOPIC")
public class TopicEntity {

    @Id
    @Column(name = "NAME", length = 249)
    private String name;

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
        entity.partitions = topic.partitions();
        entity.replicationFactor = topic.replicationFactor();
        entity.createdAtMillis = topic.createdAt().toEpochMilli();
        entity.configOverrides = new HashMap<>(topic.configOverrides());
        return entity;
    }

    TopicRecord toRecord() {
        return new TopicRecord(name, partitions, replicationFactor, configOverrides, Instant.ofEpochMilli(createdAtMillis));
    }

    void replaceConfigOverrides(Map<String, String> overrides) {
        configOverrides.clear();
        configOverrides.putAll(overrides);
    }
}
