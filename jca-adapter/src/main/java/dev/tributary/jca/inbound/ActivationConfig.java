package dev.tributary.jca.inbound;

import java.util.List;
import java.util.Optional;

/**
 * A validated activation configuration (see {@link TributaryActivationSpec} for what each property means).
 */
record ActivationConfig(List<String> topics, String groupId, boolean fromEarliest, int maxConcurrency,
                        int maxPollRecords, int retries, long retryBackoffMs, Optional<String> deadLetterTopic) {

    ActivationConfig {
        topics = List.copyOf(topics);
    }
}
