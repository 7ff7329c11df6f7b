package dev.tributary.broker.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one row of TRIB_CLUSTER (schema V6): the id of the cluster this database belongs to. */
@Entity
@Table(name = "TRIB_CLUSTER")
public class ClusterEntity {

    /** The table's only key: the row can exist once, so two brokers creating it at once cannot both succeed. */
    static final short SINGLETON = 1;

    @Id
    @Column(name = "SINGLETON")
    private short singleton;

    @Column(name = "CLUSTER_ID", nullable = false)
    private String clusterId;

    @Column(name = "CREATED_AT_MS", nullable = false)
    private long createdAtMs;

    /** See {@link dev.tributary.broker.topic.LeadershipStore#metadataVersion()}. */
    @Column(name = "METADATA_VERSION", nullable = false)
    private long metadataVersion;

    /** The first producer id no broker has reserved yet. */
    @Column(name = "NEXT_PRODUCER_ID", nullable = false)
    private long nextProducerId;

    protected ClusterEntity() {
    }

    ClusterEntity(String clusterId, long createdAtMs) {
        this.singleton = SINGLETON;
        this.clusterId = clusterId;
        this.createdAtMs = createdAtMs;
    }

    String clusterId() {
        return clusterId;
    }
}
