package dev.tributary.jca.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.jca.FakeInVmBroker;
import dev.tributary.jca.SchedulingWorkManager;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import jakarta.resource.spi.work.Work;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Asynchronous sends queue while a Work appends, and go to the broker as one batch per partition. */
class AsyncSendsTest {

    private final FakeInVmBroker broker = new FakeInVmBroker().topic("orders", 2).topic("audit", 1);
    private final ManualWorks works = new ManualWorks();
    private final AsyncSends sends = new AsyncSends(() -> broker, () -> works);

    @Test
    void sendsQueuedBeforeTheWorkRunsAreAppendedAsOneBatchPerPartitionInOrder() throws Exception {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 5; i++)
            acks.add(send("orders", 0, "o" + i));
        acks.add(send("audit", 0, "a0"));
        assertEquals(1, works.queued.size(), "one Work drains the queue, not one per send");

        works.runAll();

        assertEquals(List.of(5, 1), broker.batchSizes);
        for (int i = 0; i < 5; i++)
            assertEquals(i, acks.get(i).get().offset());
        assertEquals("audit", acks.get(5).get().topic());
    }

    @Test
    void aSendAfterADrainSchedulesTheNextOne() throws Exception {
        CompletableFuture<RecordMetadata> first = send("orders", 1, "x");
        works.runAll();
        CompletableFuture<RecordMetadata> second = send("orders", 1, "y");
        works.runAll();
        assertEquals(0, first.get().offset());
        assertEquals(1, second.get().offset());
        assertEquals(List.of(1, 1), broker.batchSizes);
    }

    @Test
    void aRecordForAMissingPartitionFailsAloneAndItsNeighboursLand() throws Exception {
        CompletableFuture<RecordMetadata> good = send("orders", 0, "fine");
        CompletableFuture<RecordMetadata> bad = send("orders", 7, "nowhere");
        works.runAll();
        assertEquals(0, good.get().offset());
        ExecutionException failure = assertThrows(ExecutionException.class, bad::get);
        assertTrue(failure.getCause() instanceof IllegalArgumentException, failure.getCause()::toString);
        assertEquals(1, broker.records("orders", 0).size());
    }

    @Test
    void aBatchTheBrokerRefusesIsHalvedUntilItFitsAndOnlyTheRecordThatCannotFitFails() throws Exception {
        FakeInVmBroker picky = new FakeInVmBroker() {
            @Override
            public synchronized List<RecordMetadata> append(String topic, int partition,
                                                            List<OutgoingRecord> records) {
                if (records.size() > 2 || records.stream().anyMatch(r -> r.value().length > 10))
                    throw new IllegalArgumentException("larger than the configured max.message.bytes");
                return super.append(topic, partition, records);
            }
        }.topic("orders", 1);
        AsyncSends pickySends = new AsyncSends(() -> picky, () -> works);
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        for (String value : List.of("a", "b", "c", "far too large a value", "d"))
            acks.add(pickySends.send(OutgoingRecord.builder().topic("orders").value(value).build())
                    .toCompletableFuture());
        works.runAll();
        assertEquals(List.of("a", "b", "c", "d"), picky.records("orders", 0).stream()
                .map(r -> r.valueAsString()).toList());
        assertTrue(acks.get(3).isCompletedExceptionally());
        assertEquals(3, acks.get(4).get().offset());
    }

    private CompletableFuture<RecordMetadata> send(String topic, int partition, String value) {
        return sends.send(OutgoingRecord.builder().topic(topic).partition(partition).value(value).build())
                .toCompletableFuture();
    }

    /** Runs scheduled Work only when the test says so. */
    private static final class ManualWorks extends SchedulingWorkManager {
        final ArrayDeque<Work> queued = new ArrayDeque<>();

        void runAll() {
            Work work;
            while ((work = queued.poll()) != null)
                work.run();
        }

        @Override
        protected void schedule(Work work) {
            queued.add(work);
        }
    }
}
