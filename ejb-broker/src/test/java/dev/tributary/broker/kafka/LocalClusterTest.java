package dev.tributary.broker.kafka;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of a {@link LocalCluster}: each test starts one in {@link #root}; it is closed after the test. */
abstract class LocalClusterTest {

    @TempDir
    Path root;
    LocalCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null)
            cluster.close();
    }
}
