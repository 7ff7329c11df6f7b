package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.log.CorruptBatch;
import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.LogFullException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** The broker throws Kafka's exceptions; REST clients get the status the contract promises. */
class HttpStatusOfKafkaErrorTest {

    @Test
    void brokerFailuresMapToTheirHttpStatus() {
        assertEquals(400, status(new InvalidTopicException("bad name")));
        assertEquals(400, status(new InvalidConfigurationException("bad config")));
        assertEquals(404, status(new UnknownTopicOrPartitionException("no topic")));
        assertEquals(409, status(new TopicExistsException("exists")));
        assertEquals(413, status(new RecordTooLargeException("too large")));
        assertEquals(416, status(new OffsetOutOfRangeException("out of range")));
        assertEquals(503, status(new KafkaStorageException("partition offline")));
        assertEquals(503, status(new NotEnoughReplicasException("ISR below min.insync.replicas")));
        assertEquals(503, status(new NotLeaderOrFollowerException("broker 2 leads it")));
        assertEquals(503, status(new BrokerNotAvailableException("not joined the cluster yet")));
        assertEquals(503, status(new NotCoordinatorException("group g is coordinated by broker 2")));
        assertEquals(503, status(new CoordinatorLoadInProgressException("loading group g")));
        assertEquals(504, status(new TimeoutException("the in-sync replicas did not all confirm in time")));
        assertEquals(507, status(new LogFullException("no space left", new IOException("No space left on device"))),
                "a full disk: the client may retry once space returns");
        CorruptBatch damage = new CorruptBatch(new TopicPartition("orders", 3), Path.of("00000000000000000120.log"),
                120, 4096, 131, "Record is corrupt", "the log scrubber", Instant.EPOCH);
        assertEquals(500, status(new LogCorruptionException(damage)),
                "the broker's own data went bad: a server error, not the offline partition's 503");
    }

    @Test
    void corruptDataIsReportedWithThePartitionAndTheOffset() {
        CorruptBatch damage = new CorruptBatch(new TopicPartition("orders", 3), Path.of("00000000000000000120.log"),
                120, 4096, 131, "Record is corrupt (stored crc = 1, computed crc = 2)", "the log scrubber",
                Instant.EPOCH);
        String detail = new LogCorruptionException(damage).getMessage();
        assertTrue(detail.startsWith("Partition orders-3 holds corrupt data at offset 131"), detail);
    }

    private static int status(ApiException e) {
        return HttpStatusOfKafkaError.of(e);
    }
}
