package dev.tributary.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.jca.FakeInVmBroker;
import dev.tributary.jca.SchedulingWorkManager;
import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordListener;
import dev.tributary.jca.spi.PartitionId;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Activations delivering from an in-memory broker to a scripted bean. */
class EndpointActivationTest {

    private final FakeInVmBroker broker = new FakeInVmBroker().topic("orders", 2).topic("dlt", 1);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private volatile boolean poisonCured;
    private EndpointActivation activation;

    @AfterEach
    void stop() throws InterruptedException {
        if (activation != null) {
            activation.stop();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
            assertTrue(!thread.isAlive(), "every Work ends when the activation stops");
        }
    }

    @Test
    void deliversInOrderRetriesThenDeadLettersAndCommitsPastIt() throws Exception {
        activate(spec("dlt"), false, false);
        send("ok-1", 0);
        send("poison-1", 0);
        send("ok-2", 0);

        awaitTrue(() -> delivered.equals(List.of("ok-1", "ok-2")));
        assertEquals(3, attempts.stream().filter("poison-1"::equals).count(), "one delivery and two retries");
        ConsumedRecord letter = broker.records("dlt", 0).get(0);
        assertEquals("poison-1", letter.valueAsString());
        assertEquals("orders", header(letter, DeadLetters.ORIGIN_TOPIC));
        assertEquals("0", header(letter, DeadLetters.ORIGIN_PARTITION));
        assertEquals("1", header(letter, DeadLetters.ORIGIN_OFFSET));
        assertEquals("java.lang.IllegalStateException: poison-1", header(letter, DeadLetters.EXCEPTION));
        awaitTrue(() -> Long.valueOf(3).equals(broker.committedOffsets.get(new PartitionId("orders", 0))));
    }

    @Test
    void withoutADeadLetterTopicAPartitionPausesWhileTheOthersGoOn() throws Exception {
        activate(spec(null), false, false);
        send("poison-1", 0);
        send("ok-after", 0);
        send("ok-other", 1);

        awaitTrue(() -> delivered.contains("ok-other"));
        awaitTrue(() -> attempts.stream().filter("poison-1"::equals).count() > 4);
        assertTrue(!delivered.contains("ok-after"), "the paused partition does not skip its failing record");
        assertEquals(null, broker.committedOffsets.get(new PartitionId("orders", 0)));

        poisonCured = true;
        awaitTrue(() -> delivered.contains("ok-after"));
        assertEquals(List.of("ok-other", "poison-1", "ok-after"), delivered);
    }

    @Test
    void aTransactedBeanCountsARecordOnlyIfItsTransactionCommits() throws Exception {
        activate(spec("dlt"), true, true);
        send("poison-1", 0); // its transaction rolls back every time
        send("ok-1", 0);

        awaitTrue(() -> delivered.contains("ok-1"));
        assertEquals(1, broker.records("dlt", 0).size(), "rolled back three times: dead-lettered");
        assertEquals(2L, broker.committedOffsets.get(new PartitionId("orders", 0)));
    }

    private void activate(TributaryActivationSpec spec, boolean transacted, boolean rollbackPoison)
            throws Exception {
        activation = new EndpointActivation(new ScriptedFactory(transacted, rollbackPoison), spec, new ThreadWorks(),
                timeout -> broker);
        activation.start();
    }

    private TributaryActivationSpec spec(String deadLetterTopic) {
        TributaryActivationSpec spec = new TributaryActivationSpec();
        spec.setTopics("orders");
        spec.setGroupId("g");
        spec.setRetries("2");
        spec.setRetryBackoffMs("10");
        spec.setDeadLetterTopic(deadLetterTopic);
        return spec;
    }

    private void send(String value, int partition) {
        broker.append(OutgoingRecord.builder().topic("orders").value(value).partition(partition).build());
    }

    private static String header(ConsumedRecord record, String name) {
        return new String(record.lastHeader(name), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
            Thread.sleep(10);
        }
    }

    /** The bean: records whose value starts with "poison" fail (by exception, or by rolling back). */
    private final class ScriptedFactory implements MessageEndpointFactory {

        private final boolean transacted;
        private final boolean rollbackPoison;

        ScriptedFactory(boolean transacted, boolean rollbackPoison) {
            this.transacted = transacted;
            this.rollbackPoison = rollbackPoison;
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) {
            return createEndpoint(xaResource, 0);
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
            return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MessageEndpoint.class, RecordListener.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("onRecord")) {
                            return null; // release, beforeDelivery, afterDelivery
                        }
                        String value = ((ConsumedRecord) args[0]).valueAsString();
                        attempts.add(value);
                        boolean poison = value.startsWith("poison") && !poisonCured;
                        if (poison && !rollbackPoison) {
                            throw new IllegalStateException(value);
                        }
                        delivered.add(value);
                        if (xaResource != null) { // as the container ends the transaction it delivered in
                            if (poison) {
                                xaResource.rollback(null);
                            } else {
                                xaResource.commit(null, true);
                            }
                        }
                        return null;
                    });
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return transacted;
        }

        @Override
        public String getActivationName() {
            return "test";
        }

        @Override
        public Class<?> getEndpointClass() {
            return RecordListener.class;
        }
    }

    /** Runs every Work on a thread of its own, which the test joins. */
    private final class ThreadWorks extends SchedulingWorkManager {

        @Override
        protected void schedule(Work work) {
            Thread thread = new Thread(work, "work-" + threads.size());
            threads.add(thread);
            thread.start();
        }
    }
}
