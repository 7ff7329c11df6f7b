package dev.tributary.rest.dto;

import dev.tributary.broker.cluster.BrokerStatus;

/**
 * One broker of the cluster.
 *
 * @param kafkaAddress {@code host:port} Kafka clients are told; for a broker that is down, the one it announced last
 * @param httpUrl      base URL of its REST API, if it announced one
 */
public record BrokerDto(int id, String kafkaAddress, String httpUrl, boolean alive, boolean controller) {

    static BrokerDto of(BrokerStatus broker) {
        return new BrokerDto(broker.id(), broker.kafkaAddress().orElse(null), broker.httpUrl().orElse(null),
                broker.alive(), broker.controller());
    }
}
