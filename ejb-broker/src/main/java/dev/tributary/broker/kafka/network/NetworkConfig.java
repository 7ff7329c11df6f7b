package dev.tributary.broker.kafka.network;

import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * What the network layer reads of the listener's configuration ({@code KafkaListenerConfig#network()}, which has
 * validated every value and documents each one as the setting it comes from).
 *
 * @param host                 address to bind
 * @param port                 port to bind; {@code 0} for an ephemeral one
 * @param maxRequestBytes      a request frame announcing more than this closes its connection
 * @param numProcessors        network threads
 * @param connectionsMaxIdleMs a connection idle this long is closed
 * @param maxConnections       connections accepted beyond this many are closed at once
 * @param saslMechanisms       what a connection authenticates with before anything but ApiVersions; empty for none
 * @param tls                  makes the TLS context of each network thread; null for a listener without TLS
 */
public record NetworkConfig(String host, int port, int maxRequestBytes, int numProcessors, long connectionsMaxIdleMs,
                            int maxConnections, List<String> saslMechanisms, Supplier<SSLContext> tls) {

    public NetworkConfig {
        saslMechanisms = List.copyOf(saslMechanisms);
    }
}
