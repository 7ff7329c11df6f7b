package dev.tributary.broker.cluster;

import java.time.Instant;
import java.util.Optional;

/**
 * A broker the metadata database knows, alive or not, with the addresses it announced last.
 *
 * @param kafkaAddress {@code host:port} of its Kafka listener; empty until it first joined
 * @param httpUrl      base URL of its REST API; empty until it first joined, or if it never knew it
 */
public record RegisteredBroker(int id, Instant registeredAt, Optional<String> kafkaAddress,
                               Optional<String> httpUrl) {
}
