package dev.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;

/**
 * Topic administration over a real metadata database and data directory, seen through the view and the hosted
 * replica logs it keeps up to date.
 */
class TopicAdministrationTest extends BrokerTopicsTest {

    @Test
    void createdTopicHasEmptyPartitionsLedByThisBroker() {
        TopicDescription topic = admin.create(new NewTopic("orders", 3, (short) 1, Map.of()));
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
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertThrows(TopicExistsException.class, () -> admin.create(new NewTopic("orders", 1, (short) 1, Map.of())));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("..", 1, (short) 1, Map.of()));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("a/b", 1, (short) 1, Map.of()));
        assertThrows(InvalidTopicException.class, () -> new NewTopic("x".repeat(250), 1, (short) 1, Map.of()));
        InvalidConfigurationException badConfig = assertThrows(InvalidConfigurationException.class,
                () -> admin.create(new NewTopic("configured", 1, (short) 1, Map.of("retention.ms", "soon"))));
        assertTrue(badConfig.getMessage().contains("retention.ms"), badConfig.getMessage());
        assertThrows(InvalidReplicationFactorException.class,
                () -> admin.create(new NewTopic("replicated", 1, (short) 3, Map.of())));
        assertEquals(List.of("orders"), topics.topicNames(), "failed creates leave nothing behind");
    }

    @Test
    void alteredConfigsPersistAndNullRevertsToDefault() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000")));
        admin.alterConfigs("orders", Map.of("segment.bytes", "1048576"));
        reopen();
        Map<String, String> configs = topics.describe("orders").configs();
        assertEquals("1000", configs.get("retention.ms"));
        assertEquals("1048576", configs.get("segment.bytes"));

        Map<String, String> revert = new HashMap<>();
        revert.put("retention.ms", null);
        admin.alterConfigs("orders", revert);
        reopen();
        assertEquals("604800000", topics.describe("orders").configs().get("retention.ms"));
        assertEquals(1048576, replicas.leaderLog("orders", 0).config().segmentBytes(),
                "the log itself runs with the altered config");
    }

    @Test
    void anOverrideEqualToTheDefaultStaysAnOverride() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "604800000")));
        assertEquals(Map.of("retention.ms", "604800000"), topics.describe("orders").configOverrides());
        admin.alterConfigs("orders", Map.of("segment.ms", "604800000"));
        admin.alterConfigs("orders", List.of(ConfigChange.set("retention.bytes", "-1")), false);
        reopen();
        TopicDescription described = topics.describe("orders");
        assertEquals(Map.of("retention.ms", "604800000", "segment.ms", "604800000", "retention.bytes", "-1"),
                described.configOverrides(), "create, merge patch and incremental SET keep what the user set");
        assertEquals("604800000", described.configs().get("segment.ms"), "the effective value is the same");
        assertEquals(Map.of("segment.ms", "604800000", "retention.bytes", "-1"),
                admin.alterConfigs("orders", List.of(ConfigChange.delete("retention.ms")), false)
                        .configOverrides(), "DELETE removes the override");
    }

    @Test
    void badConfigChangeChangesNothing() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000")));
        assertThrows(InvalidConfigurationException.class,
                () -> admin.alterConfigs("orders", Map.of("retention.ms", "2000", "no.such.key", "1")));
        reopen();
        assertEquals("1000", topics.describe("orders").configs().get("retention.ms"));
    }

    @Test
    void deleteRemovesMetadataAndFiles() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        admin.delete("orders");
        assertFalse(Files.exists(dataDir.resolve("logs").resolve("orders-0")));
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.describe("orders"));
        reopen();
        assertEquals(List.of(), topics.topicNames());
        assertThrows(UnknownTopicOrPartitionException.class, () -> admin.delete("orders"));
    }

    @Test
    void unknownPartitionsAreReportedAsSuch() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        assertThrows(UnknownTopicOrPartitionException.class, () -> replicas.leaderLog("orders", 2));
        assertThrows(UnknownTopicOrPartitionException.class, () -> replicas.leaderLog("orders", -1));
        assertThrows(UnknownTopicOrPartitionException.class, () -> replicas.leaderLog("other", 0));
    }

    @Test
    void recreatingATopicWhoseDeleteCrashedStartsEmpty() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        replicas.leaderLog("orders", 0).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))));
        // A crash between the metadata delete and the file delete leaves the directory behind.
        local.database().topicStore().delete("orders");
        reopen();
        assertEquals(List.of(), topics.topicNames());
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-0")), "orphans are left alone");

        admin.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertEquals(0, replicas.leaderLog("orders", 0).logEndOffset());
    }

    @Test
    void aCorruptPartitionGoesOfflineAndTheRestKeepsWorking() throws Exception {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 2; p++) {
                replicas.leaderLog("orders", p).append(MemoryRecords.withRecords(Compression.NONE,
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

        PartitionState offline = topics.describe("orders").partitions().get(1);
        assertTrue(offline.offlineReason().isPresent(), "partition 1 is offline");
        assertEquals(-1, offline.leader());
        assertThrows(KafkaStorageException.class, () -> replicas.leaderLog("orders", 1));
        assertEquals(3, replicas.leaderLog("orders", 0).logEndOffset(), "partition 0 is untouched");
        admin.create(new NewTopic("other", 1, (short) 1, Map.of()));
    }

    @Test
    void everyTopicHasARandomIdThatSurvivesRestartsAndIsNeverReused() {
        Uuid first = admin.create(new NewTopic("orders", 1, (short) 1, Map.of())).topicId();
        Uuid other = admin.create(new NewTopic("payments", 1, (short) 1, Map.of())).topicId();
        assertNotEquals(Uuid.ZERO_UUID, first);
        assertNotEquals(first, other);
        reopen();
        assertEquals(first, topics.describe("orders").topicId());
        assertEquals(Optional.of("orders"), topics.topicName(first));
        assertSame(replicas.leaderLog("orders", 0), replicas.leaderLog(first, 0));

        assertEquals(first, admin.delete("orders"));
        assertEquals(Optional.empty(), topics.topicName(first));
        Uuid second = admin.create(new NewTopic("orders", 1, (short) 1, Map.of())).topicId();
        assertNotEquals(first, second, "a re-created topic is a different topic");
        assertThrows(UnknownTopicIdException.class, () -> replicas.leaderLog(first, 0),
                "the old id never reaches the new topic");
        assertEquals(Optional.empty(), topics.topicName(first));
        assertThrows(UnknownTopicIdException.class, () -> admin.delete(first));

        assertEquals("orders", admin.delete(second));
        assertEquals(List.of("payments"), topics.topicNames());
        assertThrows(UnknownTopicIdException.class, () -> replicas.leaderLog(second, 0));
    }

    @Test
    void addedPartitionsStartEmptyAndPersist() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of("retention.ms", "1000")));
        replicas.leaderLog("orders", 0).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("kept".getBytes(StandardCharsets.UTF_8))));
        TopicDescription grown = admin.createPartitions("orders", 4, false);
        assertEquals(4, grown.partitions().size());
        assertEquals(0, grown.partitions().get(3).logEndOffset());
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-3")));
        assertEquals(1000, replicas.leaderLog("orders", 3).config().retentionMs(), "new partitions share configs");
        reopen();
        assertEquals(4, topics.partitionCount("orders"));
        assertEquals(1, replicas.leaderLog("orders", 0).logEndOffset(), "existing partitions keep their data");
        assertEquals(0, replicas.leaderLog("orders", 2).logEndOffset());
    }

    @Test
    void partitionsAreNeverRemovedAndValidateOnlyAddsNone() {
        admin.create(new NewTopic("orders", 3, (short) 1, Map.of()));
        InvalidPartitionsException same = assertThrows(InvalidPartitionsException.class,
                () -> admin.createPartitions("orders", 3, false));
        assertTrue(same.getMessage().contains("already has 3"), same.getMessage());
        InvalidPartitionsException fewer = assertThrows(InvalidPartitionsException.class,
                () -> admin.createPartitions("orders", 2, false));
        assertTrue(fewer.getMessage().contains("would not be an increase"), fewer.getMessage());
        assertThrows(InvalidPartitionsException.class,
                () -> admin.createPartitions("orders", NewTopic.MAX_PARTITIONS + 1, false));
        assertThrows(UnknownTopicOrPartitionException.class, () -> admin.createPartitions("other", 5, false));

        assertEquals(3, admin.createPartitions("orders", 5, true).partitions().size());
        assertEquals(3, topics.partitionCount("orders"));
        assertFalse(Files.exists(dataDir.resolve("logs").resolve("orders-3")), "validate-only creates no files");
        reopen();
        assertEquals(3, topics.partitionCount("orders"));
    }

    @Test
    void growingOverAStaleDirectoryStartsThatPartitionEmpty() {
        admin.create(new NewTopic("orders", 2, (short) 1, Map.of()));
        replicas.leaderLog("orders", 1).append(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("old".getBytes(StandardCharsets.UTF_8))));
        // A two-partition "orders" whose delete crashed after its metadata went: its files stay behind.
        local.database().topicStore().delete("orders");
        reopen();
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of()));
        assertTrue(Files.isDirectory(dataDir.resolve("logs").resolve("orders-1")), "the stale partition 1");

        admin.createPartitions("orders", 2, false);
        assertEquals(0, replicas.leaderLog("orders", 1).logEndOffset(), "not the deleted topic's data");
    }

    @Test
    void incrementalConfigChangesFollowKafkasOperations() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000", "segment.ms", "5000")));
        TopicDescription changed = admin.alterConfigs("orders", List.of(
                ConfigChange.set("retention.bytes", "4096"),
                ConfigChange.delete("retention.ms"),
                new ConfigChange("cleanup.policy", ConfigChange.Operation.APPEND, "delete")), false);
        assertEquals("4096", changed.configs().get("retention.bytes"));
        assertEquals("604800000", changed.configs().get("retention.ms"), "DELETE reverts to the default");
        assertEquals("delete", changed.configs().get("cleanup.policy"), "APPEND adds only what is missing");

        InvalidConfigurationException notAList = assertThrows(InvalidConfigurationException.class,
                () -> admin.alterConfigs("orders", List.of(
                        new ConfigChange("segment.ms", ConfigChange.Operation.APPEND, "1")), false));
        assertTrue(notAList.getMessage().contains("not a list"), notAList.getMessage());
        assertEquals("delete,compact", admin.alterConfigs("orders", List.of(
                new ConfigChange("cleanup.policy", ConfigChange.Operation.APPEND, "compact")), false)
                .configs().get("cleanup.policy"));
        assertTrue(replicas.leaderLog("orders", 0).config().compact(), "the log is compacted from now on");
        InvalidConfigurationException shred = assertThrows(InvalidConfigurationException.class,
                () -> admin.alterConfigs("orders", List.of(
                        new ConfigChange("cleanup.policy", ConfigChange.Operation.APPEND, "shred")), false));
        assertTrue(shred.getMessage().contains("String must be one of: compact, delete"), shred.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> admin.alterConfigs("orders", List.of(
                new ConfigChange("cleanup.policy", ConfigChange.Operation.SUBTRACT, "delete,compact")), false),
                "an empty cleanup.policy is not valid");
        assertThrows(InvalidConfigurationException.class, () -> admin.alterConfigs("orders", List.of(
                ConfigChange.set("retention.ms", "forever")), false));
        assertThrows(UnknownTopicOrPartitionException.class, () -> admin.alterConfigs("other", List.of(
                ConfigChange.set("retention.ms", "1")), false));

        assertEquals("604800000", admin.alterConfigs("orders", List.of(ConfigChange.set("retention.ms", "1")),
                true).configs().get("retention.ms"), "validate-only changes nothing");
        reopen();
        Map<String, String> configs = topics.describe("orders").configs();
        assertEquals("604800000", configs.get("retention.ms"), "failed and validate-only changes stored nothing");
        assertEquals("4096", configs.get("retention.bytes"));
        assertEquals("5000", configs.get("segment.ms"));
    }

    @Test
    void replacingConfigsRevertsEveryOverrideLeftOut() {
        admin.create(new NewTopic("orders", 1, (short) 1, Map.of("retention.ms", "1000", "segment.ms", "5000")));
        admin.replaceConfigs("orders", Map.of("retention.bytes", "4096"), true);
        assertEquals("1000", topics.describe("orders").configs().get("retention.ms"), "validate-only");
        admin.replaceConfigs("orders", Map.of("retention.bytes", "4096"), false);
        reopen();
        Map<String, String> configs = topics.describe("orders").configs();
        assertEquals("4096", configs.get("retention.bytes"));
        assertEquals("604800000", configs.get("retention.ms"));
        assertEquals("604800000", configs.get("segment.ms"));
        assertEquals(604800000L, replicas.leaderLog("orders", 0).config().segmentMs());
    }
}
