package dev.tributary.broker.metadata;

import dev.tributary.broker.cluster.RegisteredBroker;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A row of TRIB_BROKER (schema V6): a broker id handed out, and where that broker served last. */
@Entity
@Table(name = "TRIB_BROKER")
public class BrokerEntity {

    /** 0 is a real id (the first broker's): the persistence unit sets {@code eclipselink.id-validation=NULL}. */
    @Id
    @Column(name = "ID")
    private int id;

    @Column(name = "REGISTERED_AT_MS", nullable = false)
    private long registeredAtMs;

    @Column(name = "KAFKA_ADDRESS")
    private String kafkaAddress;

    @Column(name = "HTTP_URL")
    private String httpUrl;

    @Column(name = "LAST_SEEN_MS")
    private Long lastSeenMs;

    protected BrokerEntity() {
    }

    BrokerEntity(int id, long registeredAtMs) {
        this.id = id;
        this.registeredAtMs = registeredAtMs;
    }

    void recordAddresses(String kafka, String http, long nowMs) {
        this.kafkaAddress = kafka;
        this.httpUrl = http;
        this.lastSeenMs = nowMs;
    }

    RegisteredBroker toRegisteredBroker() {
        return new RegisteredBroker(id, Instant.ofEpochMilli(registeredAtMs), Optional.ofNullable(kafkaAddress),
                Optional.ofNullable(httpUrl));
    }
}
