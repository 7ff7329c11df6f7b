package dev.tributary.it.jcabench;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.api.TributaryConnection;
import dev.tributary.jca.api.TributaryConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ResourceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends through the in-VM connection factory as an application would, timing whole runs. */
@ConnectionFactoryDefinition(name = "java:app/tributary/bench-cf",
        interfaceName = "dev.tributary.jca.api.TributaryConnectionFactory", resourceAdapter = "tributary-jca")
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class InVmSends {

    @Resource(lookup = "java:app/tributary/bench-cf")
    private TributaryConnectionFactory factory;

    /** @return nanoseconds for {@code count} sends of {@code size}-byte values, each waiting for its ack */
    public long sync(String topic, int count, int size) throws ResourceException {
        byte[] value = new byte[size];
        try (TributaryConnection connection = factory.getConnection()) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++)
                connection.send(topic, null, value);
            return System.nanoTime() - start;
        }
    }

    /** @return nanoseconds for {@code count} asynchronous sends until the last is acknowledged */
    public long async(String topic, int count, int size) throws Exception {
        byte[] value = new byte[size];
        try (TributaryConnection connection = factory.getConnection()) {
            OutgoingRecord record = OutgoingRecord.builder().topic(topic).value(value).build();
            CompletableFuture<?>[] acks = new CompletableFuture<?>[count];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                CompletionStage<RecordMetadata> ack = connection.sendAsync(record);
                acks[i] = ack.toCompletableFuture();
            }
            CompletableFuture.allOf(acks).get();
            return System.nanoTime() - start;
        }
    }

    /** One send of the current {@link System#nanoTime()} as the value, for the latency listener to compare. */
    public void sendTimestamp(String topic) throws ResourceException {
        try (TributaryConnection connection = factory.getConnection()) {
            connection.send(topic, null, Long.toString(System.nanoTime()).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
