package dev.tributary.broker.kafka;

import dev.tributary.broker.kafka.handlers.AclApis;
import dev.tributary.broker.kafka.handlers.AlterConfigsHandler;
import dev.tributary.broker.kafka.handlers.ApiVersionsHandler;
import dev.tributary.broker.kafka.handlers.BrokerEndpoint;
import dev.tributary.broker.kafka.handlers.CreatePartitionsHandler;
import dev.tributary.broker.kafka.handlers.CreateTopicsHandler;
import dev.tributary.broker.kafka.handlers.DeleteRecordsHandler;
import dev.tributary.broker.kafka.handlers.DeleteTopicsHandler;
import dev.tributary.broker.kafka.handlers.DescribeClusterHandler;
import dev.tributary.broker.kafka.handlers.DescribeConfigsHandler;
import dev.tributary.broker.kafka.handlers.DescribeProducersHandler;
import dev.tributary.broker.kafka.handlers.FetchHandler;
import dev.tributary.broker.kafka.handlers.FetchPurgatory;
import dev.tributary.broker.kafka.handlers.FindCoordinatorHandler;
import dev.tributary.broker.kafka.handlers.GroupApis;
import dev.tributary.broker.kafka.handlers.IncrementalAlterConfigsHandler;
import dev.tributary.broker.kafka.handlers.InitProducerIdHandler;
import dev.tributary.broker.kafka.handlers.ListOffsetsHandler;
import dev.tributary.broker.kafka.handlers.LiveBrokers;
import dev.tributary.broker.kafka.handlers.MetadataHandler;
import dev.tributary.broker.kafka.handlers.OffsetsForLeaderEpochHandler;
import dev.tributary.broker.kafka.handlers.ProduceHandler;
import dev.tributary.broker.kafka.handlers.TransactionApis;
import dev.tributary.broker.kafka.handlers.TxnOffsetCommitHandler;
import dev.tributary.broker.kafka.handlers.WriteTxnMarkersHandler;
import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaListener;
import dev.tributary.broker.kafka.network.RequestDispatcher;
import dev.tributary.broker.kafka.security.AuthorizedHandler;
import dev.tributary.broker.kafka.security.QuotaConfig;
import dev.tributary.broker.kafka.security.RequestAuthorization;
import dev.tributary.broker.kafka.security.SaslAuthenticateHandler;
import dev.tributary.broker.kafka.security.SaslHandshakeHandler;
import dev.tributary.broker.kafka.security.SaslServers;
import dev.tributary.broker.kafka.security.ThrottledHandler;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicMetadata;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import dev.tributary.broker.security.SecureDefaults;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka-protocol front end of a {@link Broker}: the entry point the container boundary calls. Plain Java:
 * every thread comes from the given {@link ThreadFactory} (in the container, Jakarta Concurrency's
 * {@code ManagedThreadFactory}).
 *
 * <pre>{@code
 * KafkaServer kafka = KafkaServer.start(broker, KafkaListenerConfig.of("127.0.0.1", 9092), threadFactory);
 * ...
 * kafka.close(); // before broker.close()
 * }</pre>
 *
 * <p>Threads: one acceptor, {@code numProcessors} network threads, {@code numRequestHandlers} request handlers
 * (Produce may wait for an fsync, CreateTopics for the metadata database) and one timer for parked fetches.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaServer.class.getName());

    private final KafkaListener listener;
    private final ThreadPoolExecutor requestHandlers;
    private final FetchPurgatory purgatory;
    private final BrokerMetrics metrics;
    private final BrokerEndpoint endpoint;
    /** Holds back the responses of principals over their quota; null without quotas. */
    private final ScheduledExecutorService throttleDelays;

    private KafkaServer(KafkaListener listener, ThreadPoolExecutor requestHandlers, FetchPurgatory purgatory,
                        BrokerMetrics metrics, BrokerEndpoint endpoint, ScheduledExecutorService throttleDelays) {
        this.throttleDelays = throttleDelays;
        this.listener = listener;
        this.requestHandlers = requestHandlers;
        this.purgatory = purgatory;
        this.metrics = metrics;
        this.endpoint = endpoint;
    }

    /**
     * Binds the listener and starts serving {@code broker}'s topics.
     *
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public static KafkaServer start(Broker broker, KafkaListenerConfig config, ThreadFactory threads) {
        KafkaListener listener = KafkaListener.bind(config.network());
        ThreadPoolExecutor requestHandlers = null;
        ScheduledExecutorService throttleDelays = null;
        FetchPurgatory purgatory = null;
        try {
            int brokerId = broker.identity().brokerId();
            BrokerEndpoint endpoint = new BrokerEndpoint(brokerId, advertisedHost(config, listener),
                    config.advertisedPort() != 0 ? config.advertisedPort() : listener.port(),
                    broker.identity().clusterId());
            TopicMetadata topics = broker.topicMetadata();
            HostedReplicas hosted = broker.hostedReplicas();
            TopicAdministration administration = broker.topicAdministration();
            LiveBrokers liveBrokers = new LiveBrokers(endpoint, broker::liveBrokers);
            BrokerMetrics metrics = broker.metrics();
            purgatory = new FetchPurgatory(hosted, threads);
            RequestAuthorization authorization = new RequestAuthorization(broker.authorizer(), topics);
            List<ApiHandler> apis = new ArrayList<>(new GroupApis(broker.groups(), authorization).handlers());
            apis.addAll(new AclApis(broker.authorizer()).handlers());
            apis.addAll(new TransactionApis(broker.transactionCoordinator(), topics, authorization).handlers());
            apis.addAll(List.of(
                    new ProduceHandler(topics, broker.leaderAppends(), broker.transactionVerifier()),
                    new FetchHandler(topics, hosted, purgatory, metrics, broker.replicas()),
                    new ListOffsetsHandler(topics, hosted),
                    new MetadataHandler(topics, endpoint, liveBrokers, authorization, administration,
                            config.autoTopicCreation()),
                    new FindCoordinatorHandler(endpoint, broker::liveBrokers),
                    new DescribeConfigsHandler(topics),
                    new CreateTopicsHandler(administration, topics, brokerId),
                    new CreatePartitionsHandler(administration, topics, brokerId),
                    new DeleteTopicsHandler(administration),
                    new IncrementalAlterConfigsHandler(administration),
                    new AlterConfigsHandler(administration),
                    new DeleteRecordsHandler(hosted),
                    new OffsetsForLeaderEpochHandler(topics, hosted),
                    new InitProducerIdHandler(broker.producerIds(), broker.transactionCoordinator()),
                    new TxnOffsetCommitHandler(broker.groups(), broker.transactionVerifier(), topics),
                    new WriteTxnMarkersHandler(broker.transactionMarkers(), broker.groups()),
                    new DescribeProducersHandler(hosted),
                    new DescribeClusterHandler(endpoint, liveBrokers)));
            if (!config.saslMechanisms().isEmpty()) {
                apis.add(new SaslHandshakeHandler(new SaslServers(broker.users())));
                apis.add(new SaslAuthenticateHandler());
            }
            ApiVersionsHandler apiVersions = new ApiVersionsHandler(apis);
            if (!config.quotas().equals(QuotaConfig.UNLIMITED)) {
                throttleDelays = Executors.newSingleThreadScheduledExecutor(threads);
                apis = ThrottledHandler.throttled(apis, config.quotas(), throttleDelays);
            }
            List<ApiHandler> all = new ArrayList<>(apis.stream()
                    .<ApiHandler>map(api -> new AuthorizedHandler(api, authorization)).toList());
            all.add(apiVersions);
            requestHandlers = new ThreadPoolExecutor(config.numRequestHandlers(), config.numRequestHandlers(),
                    0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads);
            listener.start(new RequestDispatcher(all, requestHandlers, metrics), threads);
            metrics.openConnectionsFrom(listener::openConnections);
            LOG.info(() -> "Kafka protocol served on " + listener.boundAddress() + ", advertised as "
                    + endpoint.host() + ":" + endpoint.port() + ", " + config.securityProtocol()
                    + (config.saslMechanisms().isEmpty() ? "" : " " + config.saslMechanisms()));
            SecureDefaults.exposureWarning(config.host(), listener.port(), config.saslMechanisms(), config.tls() != null)
                    .ifPresent(LOG::warning);
            return new KafkaServer(listener, requestHandlers, purgatory, metrics, endpoint, throttleDelays);
        } catch (RuntimeException e) {
            listener.close();
            if (purgatory != null)
                purgatory.close();
            if (requestHandlers != null)
                requestHandlers.shutdownNow();
            if (throttleDelays != null)
                throttleDelays.shutdownNow();
            throw e;
        }
    }

    private static String advertisedHost(KafkaListenerConfig config, KafkaListener listener) {
        if (config.advertisedHost() != null)
            return config.advertisedHost();
        InetSocketAddress bound = listener.boundAddress();
        if (!bound.getAddress().isAnyLocalAddress())
            return bound.getAddress().getHostAddress();
        try {
            return InetAddress.getLocalHost().getCanonicalHostName(); // as Kafka does for a wildcard listener
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@code host:port} that Metadata tells clients to connect to. */
    public String advertisedAddress() {
        return endpoint.host() + ":" + endpoint.port();
    }

    /** The port the listener is bound to (the ephemeral one if the config said 0). */
    public int port() {
        return listener.port();
    }

    public InetSocketAddress boundAddress() {
        return listener.boundAddress();
    }

    /** Requests of {@code api} answered (or failed) since the broker started. */
    public long requestCount(ApiKeys api) {
        return metrics.requests(api).count();
    }

    /** Kafka connections open right now. */
    public int openConnections() {
        return listener.openConnections();
    }

    FetchPurgatory.Stats delayedFetchStats() {
        return purgatory.stats();
    }

    /**
     * Closes the server socket and every connection, waits for the network threads, then stops the request
     * handlers (waiting for running ones, e.g. an append in progress) and the fetch timer. Call it before closing
     * the broker.
     */
    @Override
    public void close() {
        metrics.openConnectionsFrom(null);
        listener.close();
        purgatory.close();
        if (throttleDelays != null)
            throttleDelays.shutdownNow(); // a throttled response still waiting goes nowhere: its connection is gone
        requestHandlers.shutdown();
        try {
            if (!requestHandlers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("Kafka request handlers did not finish in 30 s; interrupting them");
                requestHandlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            requestHandlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
