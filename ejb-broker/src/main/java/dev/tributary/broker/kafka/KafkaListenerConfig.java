package dev.tributary.broker.kafka;

import dev.tributary.broker.kafka.handlers.AutoTopicCreationConfig;
import dev.tributary.broker.kafka.network.NetworkConfig;
import dev.tributary.broker.kafka.security.QuotaConfig;
import dev.tributary.broker.kafka.security.SaslServers;
import dev.tributary.broker.kafka.security.TlsSettings;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the Kafka-protocol listener listens.
 *
 * @param host                  address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port                  port to bind; {@code 0} picks a free ephemeral port (see {@link KafkaServer#port()})
 * @param advertisedHost        host clients are told to connect to (Metadata, FindCoordinator, DescribeCluster);
 *                              {@code null} for the bound address
 * @param advertisedPort        port clients are told to connect to; {@code 0} for the bound port
 * @param maxRequestBytes       Kafka's {@code socket.request.max.bytes}: a request frame announcing more than this
 *                              closes its connection before anything is allocated
 * @param numProcessors         network threads, each with its own selector (Kafka's {@code num.network.threads})
 * @param numRequestHandlers    threads that run request handlers, which may block on fsync or the metadata database
 *                              (Kafka's {@code num.io.threads})
 * @param connectionsMaxIdleMs  Kafka's {@code connections.max.idle.ms}: a connection with no request in progress
 *                              that has sent nothing (and taken no response bytes) for this long is closed
 * @param maxConnections        Kafka's {@code max.connections}, for this listener: a connection accepted while this
 *                              many are open is closed at once
 * @param saslMechanisms        Kafka's {@code sasl.enabled.mechanisms} ({@code PLAIN}, {@code SCRAM-SHA-256},
 *                              {@code SCRAM-SHA-512}); empty for a PLAINTEXT listener, otherwise SASL_PLAINTEXT: every
 *                              connection authenticates before anything but ApiVersions
 * @param tls                   TLS on the listener (SSL, or SASL_SSL with {@code saslMechanisms}); null for none
 * @param quotas                produce and fetch byte rates allowed per principal
 * @param autoTopicCreation     whether and how a Metadata request creates the unknown topics it names
 */
public record KafkaListenerConfig(String host, int port, String advertisedHost, int advertisedPort,
                                  int maxRequestBytes, int numProcessors, int numRequestHandlers,
                                  long connectionsMaxIdleMs, int maxConnections, List<String> saslMechanisms,
                                  TlsSettings tls, QuotaConfig quotas, AutoTopicCreationConfig autoTopicCreation) {

    /** Kafka's default {@code socket.request.max.bytes}. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 104_857_600;
    public static final int DEFAULT_PROCESSORS = 3;
    public static final int DEFAULT_REQUEST_HANDLERS = 8;
    /** Kafka's default {@code connections.max.idle.ms}: ten minutes. */
    public static final long DEFAULT_CONNECTIONS_MAX_IDLE_MS = 600_000;
    /** Kafka's default {@code max.connections}: unlimited. */
    public static final int DEFAULT_MAX_CONNECTIONS = Integer.MAX_VALUE;

    public KafkaListenerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        if (advertisedPort < 0 || advertisedPort > 65535)
            throw new IllegalArgumentException("advertisedPort must be between 0 and 65535, was " + advertisedPort);
        if (maxRequestBytes < 1)
            throw new IllegalArgumentException("maxRequestBytes must be positive, was " + maxRequestBytes);
        if (numProcessors < 1)
            throw new IllegalArgumentException("numProcessors must be at least 1, was " + numProcessors);
        if (numRequestHandlers < 1)
            throw new IllegalArgumentException("numRequestHandlers must be at least 1, was " + numRequestHandlers);
        if (connectionsMaxIdleMs < 1)
            throw new IllegalArgumentException("connectionsMaxIdleMs must be positive, was " + connectionsMaxIdleMs);
        if (maxConnections < 1)
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        Objects.requireNonNull(autoTopicCreation, "autoTopicCreation");
        saslMechanisms = List.copyOf(saslMechanisms);
        for (String mechanism : saslMechanisms) {
            if (!SaslServers.MECHANISMS.contains(mechanism))
                throw new IllegalArgumentException("Unsupported SASL mechanism '" + mechanism + "'; supported: "
                        + SaslServers.MECHANISMS);
        }
    }

    /** Binds {@code host:port}, advertises the bound address, Kafka's defaults otherwise. */
    public static KafkaListenerConfig of(String host, int port) {
        return new KafkaListenerConfig(host, port, null, 0, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_PROCESSORS,
                DEFAULT_REQUEST_HANDLERS, DEFAULT_CONNECTIONS_MAX_IDLE_MS, DEFAULT_MAX_CONNECTIONS, List.of(), null,
                QuotaConfig.UNLIMITED, AutoTopicCreationConfig.DEFAULTS);
    }

    public KafkaListenerConfig withMaxRequestBytes(int bytes) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, bytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, saslMechanisms, tls, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withAdvertised(String advertisedHost, int advertisedPort) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, saslMechanisms, tls, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withConnectionsMaxIdleMs(long idleMs) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, idleMs, maxConnections, saslMechanisms, tls, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withMaxConnections(int connections) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, connections, saslMechanisms, tls, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withSaslMechanisms(List<String> mechanisms) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, mechanisms, tls, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withTls(TlsSettings settings) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, saslMechanisms, settings, quotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withQuotas(QuotaConfig newQuotas) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, saslMechanisms, tls, newQuotas,
                autoTopicCreation);
    }

    public KafkaListenerConfig withAutoTopicCreation(AutoTopicCreationConfig settings) {
        return new KafkaListenerConfig(host, port, advertisedHost, advertisedPort, maxRequestBytes, numProcessors,
                numRequestHandlers, connectionsMaxIdleMs, maxConnections, saslMechanisms, tls, quotas, settings);
    }

    /** What the network layer reads of this config; with TLS, each network thread loads its own context. */
    public NetworkConfig network() {
        return new NetworkConfig(host, port, maxRequestBytes, numProcessors, connectionsMaxIdleMs, maxConnections,
                saslMechanisms, tls == null ? null : tls::serverContext);
    }

    /** Kafka's name for what this listener speaks. */
    public String securityProtocol() {
        return (saslMechanisms.isEmpty() ? "" : "SASL_") + (tls == null ? "PLAINTEXT" : "SSL");
    }
}
