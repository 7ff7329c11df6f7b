package dev.tributary.rest.dto;

import java.util.Map;

/**
 * One record of {@code POST /topics/{name}/records}. {@code key}/{@code value} are UTF-8 text;
 * {@code keyBase64}/{@code valueBase64} carry binary instead (one of each pair at most).
 */
public record ProduceRecord(String key, String keyBase64, String value, String valueBase64,
                            Map<String, String> headers, Integer partition, Long timestamp) {
}
