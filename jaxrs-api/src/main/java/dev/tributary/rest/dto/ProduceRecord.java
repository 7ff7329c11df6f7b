package dev.tributary.rest.dto;

import dev.tributary.rest.WholeNumber;
import java.util.Map;

/**
 * One record of {@code POST /topics/{name}/records}. {@code key}/{@code value} are UTF-8 text;
 * {@code keyBase64}/{@code valueBase64} carry binary instead (one of each pair at most). Without a
 * {@code partition} the key chooses one (Kafka's default partitioner); without a {@code timestamp} (milliseconds
 * since the epoch) the broker's clock gives it.
 */
public record ProduceRecord(String key, String keyBase64, String value, String valueBase64,
                            Map<String, String> headers, WholeNumber partition, WholeNumber timestamp) {
}
