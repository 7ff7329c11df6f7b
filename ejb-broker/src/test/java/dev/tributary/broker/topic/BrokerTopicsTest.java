package dev.tributary.broker.topic;

import dev.tributary.broker.testing.LocalTopics;
import java.nio.file.Path;
import java.time.Clock;
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

    LocalTopics local;
    TopicAdministration admin;
    TopicMetadata topics;
    HostedReplicas replicas;

    @BeforeEach
    void open() {
        local = LocalTopics.open(dataDir, Clock.systemUTC());
        admin = local.topics().administration();
        topics = local.topics().metadata();
        replicas = local.topics().replicas();
    }

    @AfterEach
    void close() {
        local.close();
    }

    void reopen() {
        close();
        open();
    }
}
