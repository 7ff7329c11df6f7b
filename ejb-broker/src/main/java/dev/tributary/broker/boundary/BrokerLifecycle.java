package dev.tributary.broker.boundary;

import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.KafkaServer;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.security.AdminAccount;
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
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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

    private Broker broker;
    private KafkaServer kafka;
    private InVmBrokerGateway gateway;
    private ScheduledFuture<?> maintenance;

    @PostConstruct
    void start() {
        Config config = ConfigProvider.getConfig();
        broker = Broker.start(BrokerSettings.from(config), Clock.systemUTC(), scheduler);
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
}
