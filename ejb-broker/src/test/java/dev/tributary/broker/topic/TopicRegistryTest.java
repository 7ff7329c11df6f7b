package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
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
        registry = TopicRegistry.open(metadata.topicStore(), metadata.leadershipStore(), logs, Clock.systemUTC(), 0);
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
    void anOverrideEqualToTheDefaultStaysAnOverride() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "604800000")));
        assertEquals(Map.of("retention.ms", "604800000"), registry.describe("orders").configOverrides());
        registry.alterConfigs("orders", Map.of("segment.ms", "604800000"));
        registry.alterConfigs("orders", List.of(ConfigChange.set("retention.bytes", "-1")), false);
        reopen();
        TopicDescription described = registry.describe("orders");
        assertEquals(Map.of("retention.ms", "604800000", "segment.ms", "604800000", "retention.bytes", "-1"),
                described.configOverrides(), "create, merge patch and incremental SET keep what the user set");
        assertEquals("604800000", described.configs().get("segment.ms"), "the effective value is the same");
        assertEquals(Map.of("segment.ms", "604800000", "retention.bytes", "-1"),
                registry.alterConfigs("orders", List.of(ConfigChange.delete("retention.ms")), false)
                        .configOverrides(), "DELETE removes the override");
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

    @Test
    void everyTopicHasARandomIdThatSurvivesRestartsAndIsNeverReused() {
        Uuid first = registry.create(new NewTopic("orders", 1, (short) 1, Map.of())).topicId();
        Uuid other = registry.create(new NewTopic("payments", 1, (short) 1, Map.of())).topicId();
        assertNotEquals(Uuid.ZERO_UUID, first);
        assertNotEquals(first, other);
        reopen();
        assertEquals(first, registry.describe("orders").topicId());
        assertEquals(Optional.of("orders"), registry.topicName(first));
        assertSame(registry.partitionLog("orders", 0), registry.partitionLog(first, 0));

        assertEquals(first, registry.delete("orders"));
        assertEquals(Optional.empty(), registry.topicName(first));
        Uuid second = registry.create(new NewTopic("orders", 1, (short) 1, Map.of())).topicId();
        assertNotEquals(first, second, "a re-created topic is a different topic");
        assertThrows(UnknownTopicIdException.class, () -> registry.partitionLog(first, 0),
                "the old id never reaches the new topic");
        assertEquals(Optional.empty(), registry.topicName(first));
        assertThrows(UnknownTopicIdException.class, () -> registry.delete(first));

        assertEquals("orders", registry.delete(second));
        assertEquals(List.of("payments"), registry.topicNames());
        assertThrows(UnknownTopicIdException.class, () -> registry.partitionLog(second, 0));
    }

    @Test
    void addedPartitionsStartEmptyAndPersist() {
        registry.create(new NewTopic("orders", 2, (short) 1, Map.of("retention.ms", "1000")));
        registry.partitionLog("orders", 0).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("kept".getBytes(StandardCharsets.UTF_8))));
        TopicDescription grown = registry.createPartitions("orders", 4, false);
        assertEquals(4, grown.partitions().size());
        assertEquals(0, grown.partitions().get(3).logEndOffset());
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-3")));
        assertEquals(1000, registry.partitionLog("orders", 3).config().retentionMs(), "new partitions share configs");
        reopen();
        assertEquals(4, registry.partitionCount("orders"));
        assertEquals(1, registry.partitionLog("orders", 0).logEndOffset(), "existing partitions keep their data");
        assertEquals(0, registry.partitionLog("orders", 2).logEndOffset());
    }

    @Test
    void partitionsAreNeverRemovedAndValidateOnlyAddsNone() {
        registry.create(new NewTopic("orders", 3, (short) 1, Map.of()));
        InvalidPartitionsException same = assertThrows(InvalidPartitionsException.class,
                () -> registry.createPartitions("orders", 3, false));
        assertTrue(same.getMessage().contains("already has 3"), same.getMessage());
        InvalidPartitionsException fewer = assertThrows(InvalidPartitionsException.class,
                () -> registry.createPartitions("orders", 2, false));
        assertTrue(fewer.getMessage().contains("would not be an increase"), fewer.getMessage());
        assertThrows(InvalidPartitionsException.class,
                () -> registry.createPartitions("orders", NewTopic.MAX_PARTITIONS + 1, false));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.createPartitions("other", 5, false));

        assertEquals(3, registry.createPartitions("orders", 5, true).partitions().size());
        assertEquals(3, registry.partitionCount("orders"));
        assertFalse(Files.exists(dataDir.resolve("logs").resolve("orders-3")), "validate-only creates no files");
        reopen();
        assertEquals(3, registry.partitionCount("orders"));
    }

    @Test
    void growingOverAStaleDirectoryStartsThatPartitionEmpty() {
        registry.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        registry.partitionLog("orders", 1).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))));
        // A two-partition "orders" whose delete crashed after its metadata went: its files stay behind.
        metadata.topicStore().delete("orders");
        reopen();
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-1")), "the stale partition 1");

        registry.createPartitions("orders", 2, false);
        assertEquals(0, registry.partitionLog("orders", 1).logEndOffset(), "not the deleted topic's data");
    }

    @Test
    void incrementalConfigChangesFollowKafkasOperations() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000", "segment.ms", "5000")));
        TopicDescription changed = registry.alterConfigs("orders", List.of(
                ConfigChange.set("retention.bytes", "4096"),
                ConfigChange.delete("retention.ms"),
                new ConfigChange("cleanup.policy", ConfigChange.Operation.APPEND, "delete")), false);
        assertEquals("4096", changed.configs().get("retention.bytes"));
        assertEquals("604800000", changed.configs().get("retention.ms"), "DELETE reverts to the default");
        assertEquals("delete", changed.configs().get("cleanup.policy"), "APPEND adds only what is missing");

        InvalidConfigurationException notAList = assertThrows(InvalidConfigurationException.class,
                () -> registry.alterConfigs("orders", List.of(
                        new ConfigChange("segment.ms", ConfigChange.Operation.APPEND, "1")), false));
        assertTrue(notAList.getMessage().contains("not a list"), notAList.getMessage());
        InvalidConfigurationException compact = assertThrows(InvalidConfigurationException.class,
                () -> registry.alterConfigs("orders", List.of(
                        new ConfigChange("cleanup.policy", ConfigChange.Operation.APPEND, "compact")), false));
        assertTrue(compact.getMessage().contains("compaction"), compact.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> registry.alterConfigs("orders", List.of(
                new ConfigChange("cleanup.policy", ConfigChange.Operation.SUBTRACT, "delete")), false),
                "an empty cleanup.policy is not valid");
        assertThrows(InvalidConfigurationException.class, () -> registry.alterConfigs("orders", List.of(
                ConfigChange.set("retention.ms", "forever")), false));
        assertThrows(UnknownTopicOrPartitionException.class, () -> registry.alterConfigs("other", List.of(
                ConfigChange.set("retention.ms", "1")), false));

        assertEquals("604800000", registry.alterConfigs("orders", List.of(ConfigChange.set("retention.ms", "1")),
                true).configs().get("retention.ms"), "validate-only changes nothing");
        reopen();
        Map<String, String> configs = registry.describe("orders").configs();
        assertEquals("604800000", configs.get("retention.ms"), "failed and validate-only changes stored nothing");
        assertEquals("4096", configs.get("retention.bytes"));
        assertEquals("5000", configs.get("segment.ms"));
    }

    @Test
    void replacingConfigsRevertsEveryOverrideLeftOut() {
        registry.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000", "segment.ms", "5000")));
        registry.replaceConfigs("orders", Map.of("retention.bytes", "4096"), true);
        assertEquals("1000", registry.describe("orders").configs().get("retention.ms"), "validate-only");
        registry.replaceConfigs("orders", Map.of("retention.bytes", "4096"), false);
        reopen();
        Map<String, String> configs = registry.describe("orders").configs();
        assertEquals("4096", configs.get("retention.bytes"));
        assertEquals("604800000", configs.get("retention.ms"));
        assertEquals("604800000", configs.get("segment.ms"));
        assertEquals(604800000L, registry.partitionLog("orders", 0).config().segmentMs());
    }
}
