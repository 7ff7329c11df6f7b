package dev.tributary.jca.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A record delivered to a {@link RecordListener}. Immutable: byte arrays are copied in and out.
 */
public final class ConsumedRecord {

    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final String key;
    private final byte[] value;
    private final List<Map.Entry<String, byte[]>> headers;

    /**
     * @param key     the key decoded as UTF-8, or null for an unkeyed record
     * @param value   the value, or null for a tombstone
     * @param headers header names and values in log order (a name may repeat)
     */
    public ConsumedRecord(String topic, int partition, long offset, long timestamp, String key, byte[] value,
                          List<Map.Entry<String, byte[]>> headers) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value == null ? null : value.clone();
        this.headers = headers.stream().map(h -> Map.entry(h.getKey(), h.getValue().clone())).toList();
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    /** The key as UTF-8 text, or null. */
    public String key() {
        return key;
    }

    /** The value bytes, or null for a tombstone. */
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The value decoded as UTF-8, or null for a tombstone. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    public List<Map.Entry<String, byte[]>> headers() {
        return headers.stream().map(h -> Map.entry(h.getKey(), h.getValue().clone())).toList();
    }

    /** The value of the last header named {@code name}, or null. */
    public byte[] lastHeader(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).getKey().equals(name)) {
                return headers.get(i).getValue().clone();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ConsumedRecord[" + topic + "-" + partition + "@" + offset + ", key=" + key + "]";
    }
}
