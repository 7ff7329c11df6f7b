package dev.tributary.broker.topic;

import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests of broker 0's topics over a real metadata database and data directory: the three faces
 * {@link BrokerTopics#open} gives, opened before and closed after each test, and opened again by {@link #reopen()}
 * as after a restart.
 */
abstract class BrokerTopicsTest {

    @TempDir
    Path dataDir;

    MetadataDatabase database;
    LogManager logs;
    TopicAdministration admin;
    TopicMetadata topics;
    HostedReplicas replicas;

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
        logs = new LogManager(dataDir.resolve("logs"), Clock.systemUTC());
        BrokerTopics opened = BrokerTopics.open(database.topicStore(), database.leadershipStore(), logs,
                Clock.systemUTC(), 0);
        admin = opened.administration();
        topics = opened.metadata();
        replicas = opened.replicas();
    }

    @AfterEach
    void close() {
        logs.close();
        database.close();
    }

    void reopen() {
        close();
        open();
    }
}
