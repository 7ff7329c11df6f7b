package dev.tributary.broker.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.broker.group.CommittedOffset;
import dev.tributary.broker.group.OffsetStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers of a cluster share committed offsets through one database: when a group's coordinator moves, the new one
 * reads what the old one committed, not what its own JPA cache remembers from an earlier read.
 */
class JpaOffsetStoreSharingTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @TempDir
    Path dataDir;

    @Test
    void loadAllSeesWhatAnotherBrokerCommittedAfterAnEarlierLoad() {
        String url = "jdbc:h2:mem:offsets-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        // The same database under another spelling: EclipseLink gives it a session and cache of its own, as it
        // would in another broker's JVM (the same URL twice shares one session, hiding the cache).
        try (MetadataDatabase first = MetadataDatabase.open(dataDir, Optional.of(url), Optional.empty(),
                Optional.empty());
             MetadataDatabase second = MetadataDatabase.open(dataDir, Optional.of(url.toLowerCase()), Optional.empty(),
                     Optional.empty())) {
            OffsetStore a = first.offsetStore();
            OffsetStore b = second.offsetStore();
            a.commit("orders", Map.of(T0, committed(10)));
            assertEquals(10, a.loadAll().get("orders").get(T0).offset());

            assertEquals(10, b.loadAll().get("orders").get(T0).offset(), "one database");
            b.commit("orders", Map.of(T0, committed(20)));

            assertEquals(20, a.loadAll().get("orders").get(T0).offset());
        }
    }

    private static CommittedOffset committed(long offset) {
        return new CommittedOffset(offset, OptionalInt.empty(), "", Instant.EPOCH);
    }
}
