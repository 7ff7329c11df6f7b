package dev.tributary.broker.replication;

import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.TopicAdministration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings what other brokers changed (topics, leaders, ISRs) into this broker's topics
 * ({@link TopicAdministration#refresh}): it reads the database's metadata version every
 * {@link ReplicationConfig#metadataRefreshMs()} and reloads when it moved. One tiny query per period; polling the
 * database, rather than trusting a notification through the data grid, means a lost message can never leave a
 * broker behind.
 */
public final class MetadataRefresher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetadataRefresher.class.getName());

    private final LeadershipStore store;
    private final TopicAdministration topics;
    private final ScheduledFuture<?> periodic;
    private long lastVersion = Long.MIN_VALUE;

    public MetadataRefresher(LeadershipStore store, TopicAdministration topics, ReplicationConfig config,
                             ScheduledExecutorService scheduler) {
        this.store = store;
        this.topics = topics;
        this.periodic = scheduler.scheduleWithFixedDelay(this::refreshIfChanged, config.metadataRefreshMs(),
                config.metadataRefreshMs(), TimeUnit.MILLISECONDS);
    }

    /** Reloads if the version moved; runs on the scheduler, and may be called directly (tests, admin changes). */
    public synchronized void refreshIfChanged() {
        try {
            long version = store.metadataVersion();
            if (version != lastVersion) {
                topics.refresh();
                lastVersion = version; // only once the reload succeeded
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not refresh metadata from the database", e);
        }
    }

    @Override
    public void close() {
        periodic.cancel(false);
    }
}
