package dev.tributary.broker.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.cluster.ClusterStanding;
import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.replication.LeaderAppends;
import dev.tributary.broker.replication.ProduceForwarder;
import dev.tributary.broker.replication.ReplicaManager;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.testing.LocalTopics;
import dev.tributary.broker.topic.BrokerTopics;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordWriterReaderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private LocalTopics local;
    private RecordWriter writer;
    private RecordReader reader;
    private BrokerTopics topics;
    private ScheduledExecutorService scheduler;
    private ReplicaManager replicas;

    @BeforeEach
    void open() {
        local = LocalTopics.open(dataDir, CLOCK);
        topics = local.topics();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        replicas = new ReplicaManager(topics.replicas(), topics.administration(), local.database().leadershipStore(),
                ReplicationConfig.defaults(), ClusterStanding.ALONE, new ClusterMetrics(), CLOCK, scheduler,
                brokerId -> null);
        topics.administration().create(new NewTopic("orders", 4, (short) 1, Map.of()));
        writer = new RecordWriter(topics.metadata(), CLOCK, new LeaderAppends(topics.replicas(), replicas),
                new ProduceForwarder(0, brokerId -> null, Optional.empty()), Duration.ofSeconds(30));
        reader = new RecordReader(topics.replicas(), new BrokerMetrics());
    }

    @AfterEach
    void close() {
        replicas.close();
        scheduler.shutdownNow();
        local.close();
    }

    @Test
    void keyedRecordsGoWhereKafkasDefaultPartitionerPutsThem() {
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(keyed("customer-" + i, "v" + i));
        }
        List<AppendedRecord> appended = writer.append("orders", records);
        for (int i = 0; i < 50; i++) {
            byte[] key = ("customer-" + i).getBytes(StandardCharsets.UTF_8);
            assertEquals(Utils.toPositive(Utils.murmur2(key)) % 4, appended.get(i).partition());
        }
    }

    @Test
    void unkeyedRecordsAreSpreadAndOffsetsAreContiguousPerPartition() {
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(new NewRecord(OptionalInt.empty(), null, bytes("v" + i), List.of(), OptionalLong.empty()));
        }
        List<AppendedRecord> appended = writer.append("orders", records);
        Set<Integer> partitions = new HashSet<>();
        long[] nextOffset = new long[4];
        for (AppendedRecord record : appended) {
            partitions.add(record.partition());
            assertEquals(nextOffset[record.partition()]++, record.offset());
            assertEquals(CLOCK.millis(), record.timestamp(), "the broker's clock stamps records without a timestamp");
        }
        assertEquals(Set.of(0, 1, 2, 3), partitions);
    }

    @Test
    void readsBackKeysValuesHeadersAndTombstonesInOrder() {
        writer.append("orders", List.of(
                new NewRecord(OptionalInt.of(1), bytes("k1"), bytes("v1"),
                        List.of(new RecordHeader("trace", bytes("abc"))), OptionalLong.of(42)),
                new NewRecord(OptionalInt.of(1), bytes("k2"), null, List.of(), OptionalLong.empty())));
        RecordPage page = reader.read("orders", 1, 0, 10);
        assertEquals(2, page.records().size());
        assertEquals(2, page.nextOffset());
        StoredRecord first = page.records().get(0);
        assertArrayEquals(bytes("k1"), first.key());
        assertArrayEquals(bytes("v1"), first.value());
        assertEquals(42, first.timestamp());
        assertEquals("trace", first.headers().get(0).key());
        assertArrayEquals(bytes("abc"), first.headers().get(0).value());
        assertNull(page.records().get(1).value(), "a null value stays a tombstone");
    }

    @Test
    void pagesThroughAPartitionFromAnyOffset() {
        for (int batch = 0; batch < 5; batch++) {
            List<NewRecord> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(new NewRecord(OptionalInt.of(0), null, bytes("v" + (batch * 10 + i)), List.of(),
                        OptionalLong.empty()));
            }
            writer.append("orders", records);
        }
        RecordPage middle = reader.read("orders", 0, 15, 7);
        assertEquals(List.of(15L, 16L, 17L, 18L, 19L, 20L, 21L),
                middle.records().stream().map(StoredRecord::offset).toList());
        assertEquals(22, middle.nextOffset());
        RecordPage tail = reader.read("orders", 0, 45, 100);
        assertEquals(5, tail.records().size());
        assertEquals(50, tail.nextOffset());
        RecordPage atEnd = reader.read("orders", 0, 50, 100);
        assertEquals(0, atEnd.records().size());
        assertEquals(50, atEnd.nextOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> reader.read("orders", 0, 51, 1));
    }

    @Test
    void readsFromATimestamp() {
        writer.append("orders", List.of(at(1_000, "early"), at(2_000, "middle"), at(3_000, "late")));
        assertEquals("middle", new String(reader.readFromTimestamp("orders", 2, 1_500, 1).records().get(0).value(),
                StandardCharsets.UTF_8));
        RecordPage afterAll = reader.readFromTimestamp("orders", 2, 9_000, 10);
        assertEquals(0, afterAll.records().size());
        assertEquals(3, afterAll.nextOffset());
    }

    @Test
    void refusesPartitionsTheTopicDoesNotHave() {
        assertThrows(UnknownTopicOrPartitionException.class, () -> writer.append("orders", List.of(
                new NewRecord(OptionalInt.of(4), null, bytes("x"), List.of(), OptionalLong.empty()))));
        assertThrows(UnknownTopicOrPartitionException.class, () -> writer.append("nope", List.of(keyed("k", "v"))));
        assertEquals(0, reader.read("orders", 0, 0, 10).records().size(), "nothing was written");
    }

    @Test
    void anAppendToOnePartitionIsSplitIntoValidBatchesOfAtMostMaxMessageBytes() {
        topics.administration().create(new NewTopic("small", 2, (short) 1, Map.of("max.message.bytes", "1024")));
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // varying sizes, keys, headers and timestamps (both sides of the first one), and a record's own
            // partition that the caller's placement overrides
            records.add(new NewRecord(i == 7 ? OptionalInt.of(0) : OptionalInt.empty(),
                    i % 3 == 0 ? null : bytes("key-" + i), new byte[1 + (i * 37) % 200],
                    i % 5 == 0 ? List.of(new RecordHeader("h", bytes("header-" + i))) : List.of(),
                    i % 4 == 0 ? OptionalLong.empty() : OptionalLong.of(CLOCK.millis() + 1_000 - i * 20)));
        }

        List<AppendedRecord> appended = writer.append("small", 1, records);

        for (int i = 0; i < 100; i++) {
            assertEquals(1, appended.get(i).partition());
            assertEquals(i, appended.get(i).offset());
            assertEquals(records.get(i).timestamp().orElse(CLOCK.millis()), appended.get(i).timestamp());
        }
        int batches = 0;
        PartitionLog small = topics.replicas().leaderLog("small", 1);
        for (RecordBatch batch : small.read(0, Integer.MAX_VALUE).records().batches()) {
            batch.ensureValid();
            assertTrue(batch.sizeInBytes() <= 1024, () -> "a batch of " + batch.sizeInBytes() + " bytes");
            batches++;
        }
        assertTrue(batches > 1, "records of more than max.message.bytes need several batches: " + batches);
        List<StoredRecord> stored = reader.read("small", 1, 0, 1000).records();
        assertEquals(100, stored.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, stored.get(i).offset());
            assertArrayEquals(records.get(i).key(), stored.get(i).key());
            assertArrayEquals(records.get(i).value(), stored.get(i).value());
            assertEquals(records.get(i).headers().size(), stored.get(i).headers().size());
            assertEquals(appended.get(i).timestamp(), stored.get(i).timestamp());
        }
    }

    @Test
    void anAppendToOnePartitionWithARecordOverMaxMessageBytesWritesNothing() {
        topics.administration().create(new NewTopic("small", 1, (short) 1, Map.of("max.message.bytes", "1024")));
        List<NewRecord> records = List.of(
                new NewRecord(OptionalInt.empty(), null, bytes("fits"), List.of(), OptionalLong.empty()),
                new NewRecord(OptionalInt.empty(), null, new byte[2_000], List.of(), OptionalLong.empty()),
                new NewRecord(OptionalInt.empty(), null, bytes("fits too"), List.of(), OptionalLong.empty()));
        assertThrows(RecordTooLargeException.class, () -> writer.append("small", 0, records));
        assertEquals(0, reader.read("small", 0, 0, 10).records().size(), "all or nothing");
        assertThrows(UnknownTopicOrPartitionException.class, () -> writer.append("small", 1, records.subList(0, 1)));
    }

    private static NewRecord at(long timestamp, String value) {
        return new NewRecord(OptionalInt.of(2), null, bytes(value), List.of(), OptionalLong.of(timestamp));
    }

    private static NewRecord keyed(String key, String value) {
        return new NewRecord(OptionalInt.empty(), bytes(key), bytes(value), List.of(), OptionalLong.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAreReadCommittedUnlessAskedOtherwise() {
        PartitionLog log = topics.replicas().leaderLog("orders", 0);
        log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, 7, (short) 0, 0,
                new SimpleRecord(bytes("aborted"))));
        log.appendTransactionMarker(7, (short) 0, 0, ControlRecordType.ABORT);
        log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, 8, (short) 0, 0,
                new SimpleRecord(bytes("committed"))));
        log.appendTransactionMarker(8, (short) 0, 0, ControlRecordType.COMMIT);
        log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, 9, (short) 0, 0,
                new SimpleRecord(bytes("open"))));

        assertEquals(List.of("committed"), values(reader.readFromStart("orders", 0, 10)));
        assertEquals(4, reader.readFromStart("orders", 0, 10).nextOffset(), "up to the open transaction");
        assertEquals(List.of("aborted", "committed", "open"),
                values(reader.readFromStart("orders", 0, 10, IsolationLevel.READ_UNCOMMITTED)));
        assertEquals(List.of(), values(reader.read("orders", 0, 4, 10)), "from the LSO on, nothing is committed yet");
    }

    private static List<String> values(RecordPage page) {
        return page.records().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
