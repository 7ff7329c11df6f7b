package dev.tributary.jca.inbound;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.OutgoingRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the dead-letter copy of a record whose retries are used up: same key, value and headers, plus headers
 * naming where it came from and why it failed.
 */
final class DeadLetters {

    static final String ORIGIN_TOPIC = "tributary.dlt.origin.topic";
    static final String ORIGIN_PARTITION = "tributary.dlt.origin.partition";
    static final String ORIGIN_OFFSET = "tributary.dlt.origin.offset";
    /** The failure's class name, then ": " and its message. */
    static final String EXCEPTION = "tributary.dlt.exception";

    private DeadLetters() {
    }

    static OutgoingRecord deadLetter(String deadLetterTopic, ConsumedRecord record, Throwable failure) {
        OutgoingRecord.Builder builder = OutgoingRecord.builder().topic(deadLetterTopic).key(record.key())
                .value(record.value() == null ? new byte[0] : record.value());
        for (Map.Entry<String, byte[]> header : record.headers()) {
            builder.header(header.getKey(), header.getValue());
        }
        return builder.header(ORIGIN_TOPIC, utf8(record.topic()))
                .header(ORIGIN_PARTITION, utf8(Integer.toString(record.partition())))
                .header(ORIGIN_OFFSET, utf8(Long.toString(record.offset())))
                .header(EXCEPTION, utf8(failure.getClass().getName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage())))
                .build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
