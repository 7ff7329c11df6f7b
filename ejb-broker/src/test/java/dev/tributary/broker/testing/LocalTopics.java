package dev.tributary.broker.testing;

import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.metadata.MetadataDatabase;
import dev.tributary.broker.topic.BrokerTopics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Broker 0's topics over an embedded metadata database and a data directory, without the rest of a broker: for
 * tests of the topic services and of what is built on them. Closing closes the logs, then the database; opening
 * the same directory again is a restart.
 */
public final class LocalTopics implements AutoCloseable {

    private final MetadataDatabase database;
    private final LogManager logs;
    private final BrokerTopics topics;

    private LocalTopics(MetadataDatabase database, LogManager logs, BrokerTopics topics) {
        this.database = database;
        this.logs = logs;
        this.topics = topics;
    }

    public static LocalTopics open(Path dataDir, Clock clock) {
        MetadataDatabase database = MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(),
                Optional.empty());
        LogManager logs = new LogManager(dataDir.resolve("logs"), clock);
        return new LocalTopics(database, logs, BrokerTopics.open(database.topicStore(), database.leadershipStore(),
                logs, clock, 0));
    }

    public MetadataDatabase database() {
        return database;
    }

    public BrokerTopics topics() {
        return topics;
    }

    @Override
    public void close() {
        logs.close();
        database.close();
    }
}
