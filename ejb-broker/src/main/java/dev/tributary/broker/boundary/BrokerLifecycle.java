package dev.tributary.broker.boundary;

import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.topic.TopicRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the broker when the application deploys and stops it cleanly when it undeploys or the server shuts down
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

    private Broker broker;
    private ScheduledFuture<?> maintenance;

    @PostConstruct
    void start() {
        broker = Broker.start(BrokerSettings.from(ConfigProvider.getConfig()), Clock.systemUTC());
        long interval = broker.config().maintenanceIntervalMs();
        maintenance = scheduler.scheduleWithFixedDelay(this::runMaintenance, interval, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (maintenance != null) {
            maintenance.cancel(false);
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
    public RecordWriter recordWriter() {
        return broker.writer();
    }

    @Produces
    public RecordReader recordReader() {
        return broker.reader();
    }
}
