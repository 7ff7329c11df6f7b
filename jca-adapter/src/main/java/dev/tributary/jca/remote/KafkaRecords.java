package dev.tributary.jca.remote;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Translates between the adapter's record types and the Kafka client's, and the client's errors into the SPI's. */
final class KafkaRecords {

    private KafkaRecords() {
    }

    /** The record as a Kafka producer sends it, to {@code partition} instead of its own unless that is null. */
    static ProducerRecord<byte[], byte[]> toProducerRecord(OutgoingRecord record, Integer partition) {
        List<Header> headers = new ArrayList<>(record.headers().size());
        for (Map.Entry<String, byte[]> header : record.headers()) {
            headers.add(new RecordHeader(header.getKey(), header.getValue()));
        }
        if (partition == null && record.partition().isPresent())
            partition = record.partition().getAsInt();
        Long timestamp = record.timestamp().isPresent() ? record.timestamp().getAsLong() : null;
        return new ProducerRecord<>(record.topic(), partition, timestamp, record.keyBytes(), record.value(), headers);
    }

    static RecordMetadata toMetadata(org.apache.kafka.clients.producer.RecordMetadata sent) {
        return new RecordMetadata(sent.topic(), sent.partition(), sent.offset(), sent.timestamp());
    }

    static ConsumedRecord toConsumedRecord(ConsumerRecord<byte[], byte[]> record) {
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(Map.entry(header.key(), header.value() == null ? new byte[0] : header.value()));
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new ConsumedRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), key,
                record.value(), headers);
    }

    /**
     * The SPI's exception for a failed send: {@link IllegalArgumentException} when the record itself is at fault
     * (unknown topic or partition, too large, bad topic name), {@link IllegalStateException} otherwise.
     */
    static RuntimeException sendFailure(String topic, ExecutionException failed) {
        Throwable cause = failed.getCause() == null ? failed : failed.getCause();
        if (cause instanceof UnknownTopicOrPartitionException || cause instanceof InvalidTopicException
                || cause instanceof RecordTooLargeException) {
            return new IllegalArgumentException("Could not send to " + topic + ": " + cause.getMessage(), cause);
        }
        return new IllegalStateException("Could not send to " + topic + ": " + cause.getMessage(), cause);
    }
}
