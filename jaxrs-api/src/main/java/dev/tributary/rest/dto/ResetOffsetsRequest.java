package dev.tributary.rest.dto;

import dev.tributary.rest.WholeNumber;
import java.util.List;

/**
 * Body of {@code POST /groups/{id}/offsets}: move the group's offsets for {@code topic} ({@code partitions}, or all)
 * {@code to} "earliest", "latest", "timestamp" (with {@code timestamp}) or "offset" (with {@code offset}).
 */
public record ResetOffsetsRequest(String topic, List<WholeNumber> partitions, String to, WholeNumber timestamp,
                                  WholeNumber offset) {
}
