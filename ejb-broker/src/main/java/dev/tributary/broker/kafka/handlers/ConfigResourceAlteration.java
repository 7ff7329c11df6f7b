package dev.tributary.broker.kafka.handlers;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: Kafka's checks on the resources a request names, made before
 * any config value is looked at, and one outcome per resource (each succeeds or fails on its own).
 *
 * <p>Rules, as Kafka's: a resource named twice in one request fails every mention, and a config named twice in one
 * resource fails that resource, both with INVALID_REQUEST. Only topics are alterable here: the broker's own
 * configuration is static, so broker (and every other) resources get INVALID_REQUEST, which is also what Kafka
 * answers for a resource type it does not support.
 */
final class ConfigResourceAlteration {

    private static final Logger LOG = Logger.getLogger(ConfigResourceAlteration.class.getName());

    /** A resource as a request names it. */
    record Resource(byte type, String name) {
    }

    private ConfigResourceAlteration() {
    }

    /** The resources {@code named} holds more than once. */
    static Set<Resource> duplicates(List<Resource> named) {
        Set<Resource> seen = new HashSet<>();
        Set<Resource> duplicated = new HashSet<>();
        for (Resource resource : named) {
            if (!seen.add(resource))
                duplicated.add(resource);
        }
        return duplicated;
    }

    /**
     * Runs {@code alteration} on one resource after the shared checks.
     *
     * @param duplicated  whether the request names this resource more than once
     * @param configNames the config names the request gives for it, in order
     * @return NONE, or the error and message to answer for this resource
     */
    static ApiError apply(Resource resource, boolean duplicated, List<String> configNames, Runnable alteration) {
        try {
            if (duplicated)
                throw new InvalidRequestException("Each resource must appear at most once in a request");
            if (resource.type() != ConfigResource.Type.TOPIC.id())
                throw new InvalidRequestException("Only topic configurations can be altered; "
                        + ConfigResource.Type.forId(resource.type()) + " resources are not supported");
            if (new HashSet<>(configNames).size() != configNames.size())
                throw new InvalidRequestException("A config of topic '" + resource.name()
                        + "' appears more than once: " + configNames);
            alteration.run();
            return ApiError.NONE;
        } catch (RuntimeException e) {
            ApiError error = ApiError.fromThrowable(e);
            if (error.error() == Errors.UNKNOWN_SERVER_ERROR)
                LOG.log(Level.WARNING, "Altering configs of " + resource + " failed", e);
            return error;
        }
    }
}
