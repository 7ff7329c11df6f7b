package dev.tributary.broker.boundary;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.cluster.DataGrid;
import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.replication.PreferredLeaderElection;
import dev.tributary.broker.replication.TruncateToLastGood;
import dev.tributary.broker.security.AdminAccount;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.security.Users;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.topic.HostedReplicas;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Starts the broker (its Kafka-protocol listener, its membership in the server's data grid, and its in-VM gateway
 * for the JCA adapter, published through {@link InVmBrokers}) when the application deploys and stops it cleanly when it undeploys or the server shuts down
 * (Ctrl-C included), and hands the broker's services to CDI. Bean-managed concurrency: the broker's own classes
 * are thread-safe, and a container write lock here would serialize every request.
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

    /** Where health checks read the broker's state, also while this bean is still starting. */
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

    private Broker broker;
    private KafkaServer kafka;
    private BrokerGateway gateway;
    private ScheduledFuture<?> maintenance;
    private BrokerMetricsPublisher metricsPublisher;
    private ScheduledFuture<?> metricsRefresh;

    @PostConstruct
    void start() {
        Config config = ConfigProvider.getConfig();
        broker = Broker.start(BrokerSettings.from(config), Clock.systemUTC(), scheduler, health.readiness());
        try {
            AdminAccount.ensure(broker.users(), BrokerSettings.adminPassword(config),
                    broker.config().dataDir().resolve("admin-password"));
            Optional<KafkaListenerConfig> listener = BrokerSettings.kafkaListener(config);
            if (listener.isPresent()) {
                kafka = KafkaServer.start(broker, listener.get(), threads);
            }
            // Last: the other brokers see this one only once it serves.
            broker.joinCluster(dataGrid(), kafka == null ? "" : kafka.advertisedAddress(),
                    BrokerSettings.httpUrl(config));
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            broker.close();
            throw e;
        }
        long interval = broker.config().maintenanceIntervalMs();
        maintenance = scheduler.scheduleWithFixedDelay(this::runMaintenance, interval, interval, TimeUnit.MILLISECONDS);
        metricsPublisher = new BrokerMetricsPublisher(metricRegistry, broker);
        metricsPublisher.refresh();
        long refresh = BrokerSettings.metricsRefreshMs(config);
        metricsRefresh = scheduler.scheduleWithFixedDelay(this::refreshMetrics, refresh, refresh, TimeUnit.MILLISECONDS);
        gateway = InVmBrokerGateway.forAdapter(broker);
        InVmBrokers.register(gateway);
    }

    /**
     * Clients first (the JCA adapter, then Kafka clients), then the logs: nothing may append while the broker closes.
     */
    @PreDestroy
    void stop() {
        if (gateway != null) {
            InVmBrokers.unregister(gateway);
        }
        if (maintenance != null) {
            maintenance.cancel(false);
        }
        if (metricsRefresh != null) {
            metricsRefresh.cancel(false);
            metricsPublisher.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
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
            broker.runMaintenance();
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

    @Produces
    public BrokerMetrics brokerMetrics() {
        return broker.metrics();
    }

    @Produces
    public TopicMetadata topicMetadata() {
        return broker.topicMetadata();
    }

    @Produces
    public TopicAdministration topicAdministration() {
        return broker.topicAdministration();
    }

    @Produces
    public HostedReplicas hostedReplicas() {
        return broker.hostedReplicas();
    }

    @Produces
    public GroupCoordinator groupCoordinator() {
        return broker.groups();
    }

    @Produces
    public GroupAdmin groupAdmin() {
        return broker.groupAdmin();
    }

    @Produces
    public RecordWriter recordWriter() {
        return broker.writer();
    }

    @Produces
    public RecordReader recordReader() {
        return broker.reader();
    }

    @Produces
    public Users users() {
        return broker.users();
    }

    @Produces
    public Authorizer authorizer() {
        return broker.authorizer();
    }

    @Produces
    public PreferredLeaderElection preferredLeaderElection() {
        return broker::electPreferredLeaders;
    }

    @Produces
    public TruncateToLastGood truncateToLastGood() {
        return (topic, partition) -> broker.truncateToLastGood(topic, partition).map(TruncateToLastGood.Truncated::of);
    }

    /** The cluster as this broker sees it, computed when asked (brokers come and go). */
    @Produces
    public Supplier<ClusterStatus> clusterStatus() {
        return broker::clusterStatus;
    }
}
