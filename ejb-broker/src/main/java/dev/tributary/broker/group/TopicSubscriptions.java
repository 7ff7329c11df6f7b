package dev.tributary.broker.group;

import dev.tributary.broker.topic.TopicMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Resolves consumer group subscriptions against the broker's topics: regular expressions to the topic names they
 * match, and topic names to their ids and partition counts ({@link SubscribedTopic}). A name that matches no
 * existing topic is left out, as Kafka leaves it out; it counts once the topic is created.
 *
 * <p>Lock-free reads of the topic metadata; called under a group's monitor, on every heartbeat, so lookups are
 * per subscribed topic, never per topic of the cluster (except to match regular expressions).
 */
final class TopicSubscriptions {

    private final TopicMetadata topics;

    TopicSubscriptions(TopicMetadata topics) {
        this.topics = topics;
    }

    /** The topics each regular expression matches now (whole names, as Kafka matches them). */
    Map<String, SortedSet<String>> resolve(Collection<String> regexes) {
        Map<String, SortedSet<String>> resolved = new HashMap<>();
        if (regexes.isEmpty()) {
            return resolved;
        }
        List<String> names = topics.topicNames();
        for (String regex : regexes) {
            Pattern pattern = MemberSubscription.compile(regex);
            SortedSet<String> matched = new TreeSet<>();
            names.stream().filter(name -> pattern.matcher(name).matches()).forEach(matched::add);
            resolved.put(regex, matched);
        }
        return resolved;
    }

    /**
     * The existing topics among {@code names}, with their ids and partition counts. {@code known} is what the group
     * resolved last: a topic whose id still names it keeps that id without a full lookup.
     */
    Map<String, SubscribedTopic> metadata(Collection<String> names, Map<String, SubscribedTopic> known) {
        Map<String, SubscribedTopic> metadata = new TreeMap<>();
        for (String name : names) {
            lookup(name, known.get(name)).ifPresent(topic -> metadata.put(name, topic));
        }
        return metadata;
    }

    /** The name of a topic id, if the topic exists. */
    Optional<String> name(Uuid topicId) {
        return topics.topicName(topicId);
    }

    private Optional<SubscribedTopic> lookup(String name, SubscribedTopic known) {
        try {
            int partitions = topics.partitionCount(name);
            Uuid id = known != null && topics.topicName(known.id()).filter(name::equals).isPresent() ? known.id()
                    : topics.describe(name).topicId();
            return Optional.of(new SubscribedTopic(name, id, partitions));
        } catch (UnknownTopicOrPartitionException notThere) {
            return Optional.empty();
        }
    }
}
