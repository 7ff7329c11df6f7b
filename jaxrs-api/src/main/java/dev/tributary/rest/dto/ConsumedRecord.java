package dev.tributary.rest.dto;

import java.util.Map;

/**
 * A record read back. Keys and values that are valid UTF-8 come as {@code key}/{@code value}; others as
 * {@code keyBase64}/{@code valueBase64}. Absent means null.
 */
public record ConsumedRecord(long offset, long timestamp, String key, String keyBase64, String value,
                             String valueBase64, Map<String, String> headers) {
}
