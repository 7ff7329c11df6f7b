package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.topic.CompactionState;
import dev.tributary.broker.topic.PartitionState;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.rest.dto.CleanerDetails;
import dev.tributary.rest.dto.PartitionDetails;
import dev.tributary.rest.dto.TopicDetails;
import dev.tributary.rest.dto.TopicSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /topics/{name}} shows the log cleaner's view of a compacted topic's partitions, and only of those;
 * it and {@code GET /topics} give the size of the topic's replicas on the answering broker.
 */
class TopicDetailsTest {

    @Test
    void aCompactedPartitionShowsItsCleanerState() {
        CompactionState failed = new CompactionState("failed", Optional.of("damaged batch at position 0"), 0.25, 1200,
                OptionalLong.of(1_700_000_000_000L));
        PartitionDetails details = PartitionDetails.of(new PartitionState(0, 1, List.of(1), List.of(1), 0, 5000, 5000,
                80_000, Optional.empty(), Optional.of(failed)));
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
        assertNull(PartitionDetails.of(new PartitionState(0, 1, List.of(1), List.of(1), 0, 5, 5, 300, Optional.empty()))
                .cleaner());
    }

    @Test
    void aTopicsSizeIsThatOfTheReplicasThisBrokerHolds() {
        PartitionState held = new PartitionState(0, 1, List.of(1, 2), List.of(1, 2), 10, 50, 40, 4096,
                Optional.empty());
        PartitionState elsewhere = new PartitionState(1, 2, List.of(2, 3), List.of(2, 3), -1, -1, -1, -1,
                Optional.empty());
        PartitionState alsoHeld = new PartitionState(2, 3, List.of(3, 1), List.of(3, 1), 0, 7, 7, 700,
                Optional.empty());
        TopicDescription topic = new TopicDescription("orders", Uuid.randomUuid(), (short) 2,
                Map.of("cleanup.policy", "delete"), Map.of(), Instant.EPOCH, List.of(held, elsewhere, alsoHeld));

        assertEquals(new TopicSummary("orders", 3, (short) 2, 37, 4796, "delete"), TopicSummary.of(topic));
        TopicDetails details = TopicDetails.of(topic);
        assertEquals(4796, details.sizeBytes());
        assertEquals(List.of(4096L, -1L, 700L), details.partitions().stream().map(PartitionDetails::sizeBytes).toList(),
                "a partition held elsewhere has no size here");
    }
}
