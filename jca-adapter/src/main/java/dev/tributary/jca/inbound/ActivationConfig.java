package dev.tributary.jca.inbound;

import java.util.List;
import java.util.Optional;

/**
 * A validated activation configuration (see {@link TributaryActivationSpec} for what each property means).
 */
record ActivationConfig(List<String> topics, String groupId, boolean fromEarliest, boolean readCommitted,
                        int maxConcurrency,
                        int maxPollRecords, int retries, long retryBackoffMs, Optional<String> deadLetterTopic,
                        Optional<Credentials> credentials) {

    /** The broker user an activation consumes as; the broker's ACLs apply to it. */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[" + user + "]"; // never the password
        }
    }

    ActivationConfig {
        topics = List.copyOf(topics);
    }
}
