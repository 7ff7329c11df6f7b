package dev.tributary.jca.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A record to send, built with {@link #builder()}. Topic and value are required. Without a partition, a keyed record
 * goes where Kafka's default partitioner puts it (murmur2 of the key's UTF-8 bytes) and unkeyed records are spread
 * round-robin; without a timestamp the broker's clock gives the create time.
 *
 * <p>Immutable: the value and header values are copied in and out.
 */
public final class OutgoingRecord {

    private final String topic;
    private final String key;
    private final byte[] value;
    private final List<Map.Entry<String, byte[]>> headers;
    private final OptionalInt partition;
    private final OptionalLong timestamp;

    private OutgoingRecord(Builder builder) {
        this.topic = builder.topic;
        this.key = builder.key;
        this.value = builder.value.clone();
        this.headers = copy(builder.headers);
        this.partition = builder.partition;
        this.timestamp = builder.timestamp;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String topic() {
        return topic;
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** The key as the log stores it (UTF-8), or null. */
    public byte[] keyBytes() {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] value() {
        return value.clone();
    }

    /** Header names and values in the order they were added; a name may repeat, as in Kafka. */
    public List<Map.Entry<String, byte[]>> headers() {
        return copy(headers);
    }

    public OptionalInt partition() {
        return partition;
    }

    public OptionalLong timestamp() {
        return timestamp;
    }

    private static List<Map.Entry<String, byte[]>> copy(List<Map.Entry<String, byte[]>> headers) {
        if (headers.isEmpty())
            return List.of(); // most records: no stream pipeline per send for nothing to copy
        List<Map.Entry<String, byte[]>> copy = new ArrayList<>(headers.size());
        for (Map.Entry<String, byte[]> header : headers)
            copy.add(Map.entry(header.getKey(), header.getValue().clone()));
        return List.copyOf(copy);
    }

    @Override
    public String toString() {
        return "OutgoingRecord[topic=" + topic + ", key=" + key + ", partition=" + partition + ", "
                + value.length + " value bytes, " + headers.size() + " header(s)]";
    }

    /** Builds an {@link OutgoingRecord}; {@link #build()} checks that topic and value are set. */
    public static final class Builder {

        private String topic;
        private String key;
        private byte[] value;
        private final List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        private OptionalInt partition = OptionalInt.empty();
        private OptionalLong timestamp = OptionalLong.empty();

        private Builder() {
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The key; null for an unkeyed record. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder value(byte[] value) {
            this.value = Objects.requireNonNull(value, "value").clone();
            return this;
        }

        /** The value as UTF-8 bytes. */
        public Builder value(String value) {
            return value(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
        }

        public Builder header(String name, byte[] value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "header name"),
                    Objects.requireNonNull(value, "header value").clone()));
            return this;
        }

        public Builder partition(int partition) {
            if (partition < 0) {
                throw new IllegalArgumentException("partition must be >= 0, not " + partition);
            }
            this.partition = OptionalInt.of(partition);
            return this;
        }

        public Builder timestamp(long timestamp) {
            if (timestamp < 0) {
                throw new IllegalArgumentException("timestamp must be >= 0, not " + timestamp);
            }
            this.timestamp = OptionalLong.of(timestamp);
            return this;
        }

        /** @throws IllegalStateException if topic or value is missing */
        public OutgoingRecord build() {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalStateException("An OutgoingRecord needs a topic");
            }
            if (value == null) {
                throw new IllegalStateException("An OutgoingRecord needs a value");
            }
            return new OutgoingRecord(this);
        }
    }
}
