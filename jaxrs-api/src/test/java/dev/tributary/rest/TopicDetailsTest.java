package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.CompactionState;
import dev.tributary.broker.topic.PartitionState;
import dev.tributary.rest.dto.CleanerDetails;
import dev.tributary.rest.dto.PartitionDetails;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code GET /topics/{name}} shows the log cleaner's view of a compacted topic's partitions, and only of those. */
class TopicDetailsTest {

    @Test
    void aCompactedPartitionShowsItsCleanerState() {
        CompactionState failed = new CompactionState("failed", Optional.of("damaged batch at position 0"), 0.25, 1200,
                OptionalLong.of(1_700_000_000_000L));
        PartitionDetails details = PartitionDetails.of(new PartitionState(0, 1, List.of(1), List.of(1), 0, 5000, 5000,
                Optional.empty(), Optional.of(failed)));
        CleanerDetails cleaner = details.cleaner();
        assertEquals(new CleanerDetails("failed", true, "damaged batch at position 0", 0.25, 1200,
                "2023-11-14T22:13:20Z"), cleaner);

        CleanerDetails idle = CleanerDetails.of(new CompactionState("idle", Optional.empty(), 0.0, 0,
                OptionalLong.empty()));
        assertNull(idle.reason());
        assertNull(idle.lastCleanedAt(), "no cleaning completed since the broker started");
        assertTrue(!idle.failed());
    }

    @Test
    void aPartitionOfADeleteTopicHasNoCleaner() {
        assertNull(PartitionDetails.of(new PartitionState(0, 1, List.of(1), List.of(1), 0, 5, 5, Optional.empty()))
                .cleaner());
    }
}
