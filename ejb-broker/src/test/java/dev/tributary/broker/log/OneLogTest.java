package dev.tributary.broker.log;

import dev.tributary.broker.metrics.BrokerMetrics;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of one partition log in a temp dir on a manual clock; the log is closed after each test. */
abstract class OneLogTest {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path tmp;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    PartitionLog log;

    Path dir() {
        return tmp.resolve("orders-0");
    }

    /**
     * @param highWatermarkFollowsLogEnd as for a partition's only replica; false for one whose high watermark is
     *                                   set from outside (a leader's from its followers, a follower's from its leader)
     */
    PartitionLog open(Map<String, String> overrides, boolean highWatermarkFollowsLogEnd) {
        log = PartitionLog.open(dir(), TP, LogConfig.fromMap(overrides), clock, new BrokerMetrics(),
                highWatermarkFollowsLogEnd);
        return log;
    }

    @AfterEach
    void closeLog() {
        if (log != null)
            log.close();
    }
}
