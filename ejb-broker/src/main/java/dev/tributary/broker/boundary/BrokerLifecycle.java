package dev.tributary.broker.boundary;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.cluster.DataGrid;
import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.replication.PreferredLeaderElection;
import dev.tributary.broker.replication.TruncateToLastGood;
import dev.tributary.broker.security.AdminAccount;
import dev.tributary.broker.security.ApplicationAccount;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.security.ClientConfigFile;
import dev.tributary.broker.security.Users;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.server.BrokerReadiness;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.InVmBrokers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Starts the broker (its Kafka-protocol listener, its membership in the server's data grid, and its in-VM gateway
 * for the JCA adapter, published through {@link InVmBrokers}) when the application deploys and stops it cleanly when
 * it undeploys or the server shuts down (Ctrl-C included), and hands the broker's services to CDI.
 *
 * <p>The start runs in the background, beside the rest of the deployment: the application (REST API, health
 * checks) is deployed within seconds whatever the broker's start does, so that while the broker opens its logs
 * (a long recovery after a crash included) health reports say so and the REST API answers 503, and a start that
 * fails (data directory in use, Kafka port taken, database unreachable, a bad setting) leaves a deployed
 * application whose health checks are DOWN with the reason, rather than a failed deployment with no checks at all.
 * {@link BrokerHealth#readiness()} follows every step; the broker serves once it says {@code running}.
 *
 * <p>Bean-managed concurrency: the broker's own classes are thread-safe, and a container write lock here would
 * serialize every request. The start task and {@link #stop()} hand over through {@code starting}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class BrokerLifecycle {

    private static final Logger LOG = Logger.getLogger(BrokerLifecycle.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    /** Network and request threads of the Kafka listener are the container's, so they carry its context. */
    @Resource
    private ManagedThreadFactory threads;

    /** Where health checks and the REST API read the broker's state, also while it starts. */
    @Inject
    BrokerHealth health;

    /** The application's registry: the server serves it in Prometheus format at {@code /metrics}. */
    @Inject
    MetricRegistry metricRegistry;

    /**
     * The server's own data-grid member (Payara's Hazelcast), resolved only when the server runs one: with
     * {@code --nohazelcast} Payara's producer has nothing to give (it returns null and logs a warning).
     */
    @Inject
    private Instance<HazelcastInstance> hazelcast;

    /** The start in the background; {@link #stop()} waits for it before closing what it started. */
    private Future<?> starting;
    /** Set by {@link #stop()}: a start still running closes what it opened instead of serving. */
    private volatile boolean stopping;
    /** The started broker; null until it serves (and after a failed start). */
    private volatile Broker broker;
    private KafkaServer kafka;
    private BrokerGateway gateway;
    private ScheduledFuture<?> maintenance;
    private BrokerMetricsPublisher metricsPublisher;
    private ScheduledFuture<?> metricsRefresh;

    /**
     * Starts the broker on a thread of its own: the container's scheduler, which runs the broker's timers, may have
     * a single thread, and a long log recovery must not hold it.
     */
    @PostConstruct
    void deploy() {
        FutureTask<Void> start = new FutureTask<>(this::start, null);
        Thread thread = threads.newThread(start);
        thread.setName("tributary-broker-start");
        starting = start;
        thread.start();
    }

    private void start() {
        BrokerReadiness readiness = health.readiness();
        Broker started = null;
        try {
            Config config = ConfigProvider.getConfig();
            BrokerConfig settings = BrokerSettings.from(config);
            BrokerSettings.secureDefaults(config).openDoorsWarning().ifPresent(LOG::warning);
            Optional<KafkaListenerConfig> listener = BrokerSettings.kafkaListener(config);
            started = Broker.start(settings, Clock.systemUTC(), scheduler, readiness);
            boolean firstStart = started.users().list().isEmpty();
            AdminAccount.ensure(started.users(), BrokerSettings.adminPassword(config),
                    started.config().dataDir().resolve("admin-password"));
            if (firstStart) {
                ApplicationAccount.create(started.users());
            }
            if (listener.isPresent()) {
                kafka = KafkaServer.start(started, listener.get(), threads);
                ClientConfigFile.write(started.config().dataDir(), listener.get().securityProtocol(),
                        listener.get().saslMechanisms());
            }
            // Last: the other brokers see this one only once it serves.
            Optional<DataGrid> grid = dataGrid();
            if (grid.isPresent() && listener.isPresent() && !listener.get().saslMechanisms().isEmpty()
                    && started.config().replication().login().isEmpty()) {
                LOG.severe("This broker is in a cluster and its Kafka listener wants SASL, but it has no login for "
                        + "the other brokers' listeners: replication and forwarded writes will fail. Set "
                        + "TRIBUTARY_INTERBROKER_USER and TRIBUTARY_INTERBROKER_PASSWORD (a super user), or "
                        + "TRIBUTARY_ADMIN_PASSWORD on every broker");
            }
            started.joinCluster(grid, kafka == null ? "" : kafka.advertisedAddress(), BrokerSettings.httpUrl(config));
            serve(started, config);
        } catch (RuntimeException | LinkageError e) {
            String reason = StartFailure.describe(e);
            readiness.failed(reason);
            LOG.severe(() -> "The broker could not start: " + reason);
            LOG.log(Level.FINE, "Why the broker could not start", e);
            shutDown(started);
        }
    }

    /** Opens the broker to the adapter and to requests and schedules its periodic work, unless a stop came first. */
    private void serve(Broker started, Config config) {
        synchronized (this) {
            if (stopping) {
                shutDown(started);
                return;
            }
            gateway = InVmBrokerGateway.forAdapter(started);
            InVmBrokers.register(gateway);
            metricsPublisher = new BrokerMetricsPublisher(metricRegistry, started);
            metricsPublisher.refresh();
            long interval = started.config().maintenanceIntervalMs();
            maintenance = scheduler.scheduleWithFixedDelay(this::runMaintenance, interval, interval,
                    TimeUnit.MILLISECONDS);
            long refresh = BrokerSettings.metricsRefreshMs(config);
            metricsRefresh = scheduler.scheduleWithFixedDelay(this::refreshMetrics, refresh, refresh,
                    TimeUnit.MILLISECONDS);
            broker = started;
        }
        health.readiness().listening();
    }

    /**
     * Clients first (the JCA adapter, then Kafka clients), then the logs: nothing may append while the broker closes.
     * A start still running is waited for: it may hold the data directory and the database. Whatever fails on the
     * way is logged and the logs are closed all the same: a broker left open would hold its data directory until the
     * server restarts, and the application deployed next could not start.
     */
    @PreDestroy
    void stop() {
        synchronized (this) {
            stopping = true;
        }
        awaitStart();
        try {
            if (gateway != null) {
                InVmBrokers.unregister(gateway);
            }
            if (maintenance != null) {
                maintenance.cancel(false);
            }
            if (metricsRefresh != null) {
                metricsRefresh.cancel(false);
            }
            if (metricsPublisher != null) {
                metricsPublisher.close();
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.SEVERE, "Stopping the broker's clients failed; closing its logs all the same", e);
        }
        Broker running = broker;
        broker = null;
        if (running != null) {
            shutDown(running);
        }
    }

    private void awaitStart() {
        try {
            starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            // the start reports its own failures
        }
    }

    /**
     * Closes the Kafka listener, then {@code started}: nothing may append while the broker closes. The broker is
     * closed whatever fails before, and each failure is logged.
     */
    private void shutDown(Broker started) {
        try {
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.SEVERE, "Closing the Kafka listener failed; closing the broker's logs all the same", e);
        } finally {
            if (started != null) {
                try {
                    started.close();
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(Level.SEVERE, "Closing the broker failed: its data directory may stay locked until the "
                            + "server restarts", e);
                }
            }
        }
    }

    /** The server's data-grid member if it runs one; empty makes the broker a cluster of one. */
    private Optional<DataGrid> dataGrid() {
        // No member in this JVM means Payara runs without its grid; asking CDI then would only log Payara's warning.
        if (Hazelcast.getAllHazelcastInstances().isEmpty()) {
            LOG.info("No data grid in this server (Payara Micro --nohazelcast): the broker runs alone");
            return Optional.empty();
        }
        HazelcastInstance member = hazelcast.isResolvable() ? hazelcast.get() : null;
        if (member == null || !member.getLifecycleService().isRunning()) {
            LOG.info("The server's data grid is disabled: the broker runs alone");
            return Optional.empty();
        }
        return Optional.of(new HazelcastDataGrid(member));
    }

    private void runMaintenance() {
        try {
            serving().runMaintenance();
        } catch (RuntimeException e) {
            // One failed round (a file busy, a disk hiccup) must not cancel every later one.
            LOG.log(Level.WARNING, "Log maintenance failed; will retry", e);
        }
    }

    private void refreshMetrics() {
        try {
            metricsPublisher.refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Refreshing the published metrics failed; will retry", e);
        }
    }

    /**
     * The broker if it serves. The REST API answers 503 before it calls anything that needs the broker (see
     * {@code BasicAuthentication}); this is what any other caller gets while it starts or after its start failed.
     *
     * @throws BrokerNotAvailableException while the broker does not serve
     */
    private Broker serving() {
        Broker running = broker;
        if (running == null) {
            BrokerReadiness readiness = health.readiness();
            throw new BrokerNotAvailableException("The broker is not serving: " + readiness.state()
                    + readiness.failure().map(reason -> " (" + reason + ")").orElse(""));
        }
        return running;
    }

    @Produces
    public BrokerMetrics brokerMetrics() {
        return serving().metrics();
    }

    @Produces
    public TopicMetadata topicMetadata() {
        return serving().topicMetadata();
    }

    @Produces
    public TopicAdministration topicAdministration() {
        return serving().topicAdministration();
    }

    @Produces
    public GroupAdmin groupAdmin() {
        return serving().groupAdmin();
    }

    @Produces
    public RecordWriter recordWriter() {
        return serving().writer();
    }

    @Produces
    public RecordReader recordReader() {
        return serving().reader();
    }

    @Produces
    public Users users() {
        return serving().users();
    }

    @Produces
    public Authorizer authorizer() {
        return serving().authorizer();
    }

    @Produces
    public PreferredLeaderElection preferredLeaderElection() {
        return serving()::electPreferredLeaders;
    }

    @Produces
    public TruncateToLastGood truncateToLastGood() {
        return (topic, partition) -> serving().truncateToLastGood(topic, partition).map(TruncateToLastGood.Truncated::of);
    }

    /** The cluster as this broker sees it, computed when asked (brokers come and go). */
    @Produces
    public Supplier<ClusterStatus> clusterStatus() {
        return serving()::clusterStatus;
    }
}
