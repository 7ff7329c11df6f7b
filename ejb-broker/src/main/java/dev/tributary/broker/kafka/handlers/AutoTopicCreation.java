package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.TopicAdministration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;

/**
 * Topics created on first use, as Kafka's {@code AutoTopicCreationManager}: a Metadata request that names an
 * unknown topic and allows it creates the topic with {@code num.partitions} partitions, through the same
 * {@link TopicAdministration#create} (and so the same metadata-store write and name validation) that CreateTopics
 * uses. Produce never creates: in Kafka 4 the producer's Metadata request is the only path.
 *
 * <p>The answer for a topic so created is LEADER_NOT_AVAILABLE, as Kafka's: the client asks again and then sees
 * its partitions. A topic that another broker or request created first is answered the same way, so two clients
 * racing to create a topic both succeed and one topic results. Kafka's internal topic names
 * ({@code __consumer_offsets}, {@code __transaction_state}, {@code __share_group_state}) are never created here:
 * Tributary keeps groups and transactions in its metadata database, and a topic of that name would only mislead.
 *
 * <p>Thread-safe: creation is serialized by {@link TopicAdministration}'s admin lock.
 */
final class AutoTopicCreation {

    private static final Logger LOG = Logger.getLogger(AutoTopicCreation.class.getName());

    private final TopicAdministration administration;
    private final AutoTopicCreationConfig config;

    AutoTopicCreation(TopicAdministration administration, AutoTopicCreationConfig config) {
        this.administration = administration;
        this.config = config;
    }

    /** Whether a request allowing it ({@code allow_auto_topic_creation}) may create topics. */
    boolean allowedBy(boolean requestAllows) {
        return requestAllows && config.enabled();
    }

    /**
     * Creates the unknown topic {@code name} with this broker's defaults, its replication factor capped at
     * {@code liveBrokers}.
     *
     * @return the error the Metadata response gives the topic: LEADER_NOT_AVAILABLE once it exists,
     *         INVALID_TOPIC_EXCEPTION for a name Kafka refuses, UNKNOWN_TOPIC_OR_PARTITION for an internal name,
     *         otherwise what creating it failed with
     */
    Errors create(String name, int liveBrokers) {
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
        if (Topic.isInternal(name))
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        short replicationFactor = (short) Math.min(config.defaultReplicationFactor(), Math.max(1, liveBrokers));
        try {
            administration.create(new NewTopic(name, config.numPartitions(), replicationFactor, Map.of()));
            return Errors.LEADER_NOT_AVAILABLE;
        } catch (TopicExistsException e) {
            return Errors.LEADER_NOT_AVAILABLE; // created meanwhile: the client's next Metadata request finds it
        } catch (ApiException e) {
            LOG.info(() -> "Could not create topic " + name + " on first use: " + e.getMessage());
            return Errors.forException(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Creating topic " + name + " on first use failed", e);
            return Errors.forException(e);
        }
    }
}
