package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.metadata.MetadataDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicRegistryTest {

    @TempDir
    Path dataDir;

    private MetadataDatabase metadata;
    private LogManager logs;
    private TopicRegistry registry;

    @BeforeEach
    void open() {
        metadata = MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
        logs = new LogManager(dataDir.resolve("logs"), Clock.systemUTC());
        registry = TopicRegistry.open(metadata.topicStore(), logs, Clock.systemUTC(), 0);
    }

    @AfterEach
    void close() {
        logs.close();
        metadata.close();
    }

    private void reopen() {
        close();
        open();
    }

    @Test
    void createdTopicHasEmptyPartitionsLedByThisBroker() {
        TopicDescription topic = registry.create(new NewTopic("orders", 3, (short) 1, Map.of()));
        assertEquals(3, topic.partitions().size());
        PartitionState p2 = topic.partitions().get(2);
        assertEquals(2, p2.partition());
        assertEquals(0, p2.leader());
        assertEquals(List.of(0), p2.isr());
        assertEquals(0, p2.logEndOffset());
        assertEquals("604800000", topic.configs().get("retention.ms"), "Kafka's defaults are the effective configs");
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-2")));
    }

    @Test
    void refusesDuplicatesBadNamesBadConfigsAndImpossibleReplication() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertThrows(TopicExistsException.class, () -> registry.create(new NewTopic("orders", 1, (short) 1, Map.of())));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("..", 1, (short) 1, Map.of()));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("a/b", 1, (short) 1, Map.of()));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("x".repeat(250), 1, (short) 1, Map.of()));
        InvalidConfigurationException badConfig = assertThrows(InvalidConfigurationException.class,
                () -> registry.create(new NewTopic("configured", 1, (short) 1, Map.of("retention.ms", "soon"))));
        assertTrue(badConfig.getMessage().contains("retention.ms"), badConfig.getMessage());
        assertThrows(InvalidReplicationFactorException.class,
                () -> registry.create(new NewTopic("replicated", 1, (short) 3, Map.of())));
        assertEquals(List.of("orders"), registry.topicNames(), "failed creates leave nothing behind");
    }

    @Test
    void alteredConfigsPersistAndNullRevertsToDefault() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000")));
        registry.alterConfigs("orders", Map.of("segment.bytes", "1048576"));
        reopen();
        Map<String, String> configs = registry.describe("orders").configs();
        assertEquals("1000", configs.get("retention.ms"));
        assertEquals("1048576", configs.get("segment.bytes"));

        Map<String, String> revert = new HashMap<>();
        revert.put("retention.ms", null);
        registry.alterConfigs("orders", revert);
        reopen();
        assertEquals("604800000", registry.describe("orders").configs().get("retention.ms"));
        assertEquals(1048576, registry.partitionLog("orders", 0).config().segmentBytes(),
                "the log itself runs with the altered config");
    }

    @Test
    void badConfigChangeChangesNothing() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000")));
        assertThrows(InvalidConfigurationException.class,
                () -> registry.alterConfigs("orders", Map.of("retention.ms", "2000", "no.such.key", "1")));
        reopen();
        assertEquals("1000", registry.describe("orders").configs().get("retention.ms"));
    }

    @Test
    void deleteRemovesMetadataAndFiles() {
        registry.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        registry.delete("orders");
        assertFalse(Files.exists(dataDir.resolve("logs").resolve("orders-0")));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.describe("orders"));
        reopen();
        assertEquals(List.of(), registry.topicNames());
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.delete("orders"));
    }

    @Test
    void unknownPartitionsAreReportedAsSuch() {
        registry.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.partitionLog("orders", 2));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.partitionLog("orders", -1));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.partitionLog("other", 0));
    }

    @Test
    void recreatingATopicWhoseDeleteCrashedStartsEmpty() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        registry.partitionLog("orders", 0).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))));
        // A crash between the metadata delete and the file delete leaves the directory behind.
        metadata.topicStore().delete("orders");
        reopen();
        assertEquals(List.of(), registry.topicNames());
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-0")), "orphans are left alone");

        registry.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertEquals(0, registry.partitionLog("orders", 0).logEndOffset());
    }

    @Test
    void aCorruptPartitionGoesOfflineAndTheRestKeepsWorking() throws Exception {
        registry.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 2; p++) {
                registry.partitionLog("orders", p).append(MemoryRecords.withRecords(Compression.NONE,
                        new SimpleRecord(("record-" + i).getBytes(StandardCharsets.UTF_8))));
            }
        }
        close();
        // As after a crash: no clean-shutdown marker, no checkpoint, and a flipped byte in the first batch.
        Path partition = dataDir.resolve("logs").resolve("orders-1");
        Files.delete(partition.resolve(".clean-shutdown"));
        Files.deleteIfExists(partition.resolve("recovery-point-offset-checkpoint"));
        Path segment = partition.resolve("00000000000000000000.log");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 6] ^= 0x5a;
        Files.write(segment, bytes);
        open();

        PartitionState offline = registry.describe("orders").partitions().get(1);
        assertTrue(offline.offlineReason().isPresent(), "partition 1 is offline");
        assertEquals(-1, offline.leader());
        assertThrows(KafkaStorageException.class, () -> registry.partitionLog("orders", 1));
        assertEquals(3, registry.partitionLog("orders", 0).logEndOffset(), "partition 0 is untouched");
        registry.create(new NewTopic("other", 1, (short) 1, Map.of()));
    }
}
