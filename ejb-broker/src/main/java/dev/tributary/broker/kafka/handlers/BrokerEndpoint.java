package dev.tributary.broker.kafka.handlers;

/**
 * How this broker presents itself to clients: its id, the advertised address, and the cluster id.
 *
 * @param brokerId  the broker id (see {@code dev.tributary.broker.cluster.BrokerIdentity})
 * @param host      advertised host
 * @param port      advertised port
 * @param clusterId the cluster id clients see: the metadata database's
 */
public record BrokerEndpoint(int brokerId, String host, int port, String clusterId) {
}
