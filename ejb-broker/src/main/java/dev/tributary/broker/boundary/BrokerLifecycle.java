package dev.tributary.broker.boundary;

import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.security.AdminAccount;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.security.Users;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.topic.TopicRegistry;
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
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Starts the broker (its Kafka-protocol listener, and its in-VM gateway for the JCA adapter, published through
 * {@link InVmBrokers}) when the application deploys and stops it cleanly when it undeploys or the server shuts down
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

    private Broker broker;
    private KafkaServer kafka;
    private InVmBrokerGateway gateway;
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
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        long interval = broker.config().maintenanceIntervalMs();
        maintenance = scheduler.scheduleWithFixedDelay(this::runMaintenance, interval, interval, TimeUnit.MILLISECONDS);
        metricsPublisher = new BrokerMetricsPublisher(metricRegistry, broker);
        metricsPublisher.refresh();
        long refresh = BrokerSettings.metricsRefreshMs(config);
        metricsRefresh = scheduler.scheduleWithFixedDelay(this::refreshMetrics, refresh, refresh, TimeUnit.MILLISECONDS);
        gateway = new InVmBrokerGateway(broker);
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
    public TopicRegistry topicRegistry() {
        return broker.topics();
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
}
