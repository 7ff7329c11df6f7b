package dev.tributary.broker.log;

import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * A topic-level log configuration key is unknown, has a value that does not parse or is out of range, or asks
 * for a feature the log does not support yet. The message names the key and the problem.
 *
 * <p>Extends Kafka's {@link InvalidConfigurationException} so that the Kafka-protocol layer maps it to
 * {@code INVALID_CONFIG}.
 */
public class InvalidLogConfigException extends InvalidConfigurationException {
    private static final long serialVersionUID = 1L;

    public InvalidLogConfigException(String message) {
        super(message);
    }

    public InvalidLogConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
