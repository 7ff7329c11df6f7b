package dev.tributary.broker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.records.NewRecord;
import dev.tributary.broker.records.RecordPage;
import dev.tributary.broker.server.Broker;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.topic.NewTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFetcherTest {

    private static final TopicPartition PARTITION = new TopicPartition("events", 0);

    @TempDir
    Path dataDir;

    @Test
    void aWaitingFetchReturnsAsSoonAsARecordIsAppended() throws Exception {
        try (Broker broker = start()) {
            RecordFetcher fetcher = new RecordFetcher(broker.hostedReplicas(), broker.reader());
            CompletableFuture<RecordPage> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return fetcher.fetch(PARTITION, 0, 10, Duration.ofMinutes(1), true);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long appendedAt = System.nanoTime();
            append(broker, "first");
            RecordPage page = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - appendedAt < TimeUnit.SECONDS.toNanos(30));
            assertEquals(List.of("first"), values(page));
            assertEquals(1, page.nextOffset());
        }
    }

    @Test
    void anOffsetOutOfRangeStartsFromTheResetPosition() throws Exception {
        try (Broker broker = start()) {
            append(broker, "a");
            append(broker, "b");
            RecordFetcher fetcher = new RecordFetcher(broker.hostedReplicas(), broker.reader());

            assertEquals(List.of("a", "b"), values(fetcher.fetch(PARTITION, 99, 10, Duration.ZERO, true)));
            RecordPage latest = fetcher.fetch(PARTITION, 99, 10, Duration.ZERO, false);
            assertEquals(List.of(), values(latest));
            assertEquals(2, latest.nextOffset());
            assertEquals(0, fetcher.resetOffset(PARTITION, true));
            assertEquals(2, fetcher.resetOffset(PARTITION, false));
        }
    }

    private Broker start() {
        Broker broker = Broker.start(BrokerConfig.embedded(dataDir), Clock.systemUTC());
        broker.topicAdministration().create(new NewTopic("events", 1, (short) 1, Map.of()));
        return broker;
    }

    private static void append(Broker broker, String value) {
        broker.writer().append("events", List.of(new NewRecord(OptionalInt.of(0), null,
                value.getBytes(StandardCharsets.UTF_8), List.of(), OptionalLong.empty())));
    }

    private static List<String> values(RecordPage page) {
        return page.records().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }
}
