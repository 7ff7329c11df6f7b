package dev.tributary.jca.inbound;

import dev.tributary.jca.spi.BrokerGateway;
import java.time.Duration;

/** Where an activation finds the broker it consumes from: the one in this JVM, or the remote one configured. */
@FunctionalInterface
public interface BrokerLookup {

    /** @return the broker, or null if none is available within {@code timeout} (it may still be deploying) */
    BrokerGateway await(Duration timeout) throws InterruptedException;
}
