package dev.tributary.broker.group;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidRegularExpression;

/**
 * What a consumer-protocol member subscribes to (KIP-848): topics by name, by regular expression, or both, and the
 * server-side assignor it prefers ({@code group.remote.assignor}). Immutable.
 *
 * <p>The regular expression is matched against whole topic names with {@link java.util.regex.Pattern}, where Kafka
 * uses RE2/J: the common syntax (classes, alternation, quantifiers, anchors) means the same in both; Java also
 * accepts look-around and back-references, which Kafka refuses with INVALID_REGULAR_EXPRESSION.
 *
 * @param topicNames     the topics subscribed by name, sorted
 * @param topicRegex     the regular expression, if the member subscribes by one
 * @param serverAssignor the assignor the member asked for; empty for the coordinator's default
 */
public record MemberSubscription(SortedSet<String> topicNames, Optional<String> topicRegex,
                                 Optional<String> serverAssignor) {

    public static final MemberSubscription NONE = new MemberSubscription(new TreeSet<>(), Optional.empty(),
            Optional.empty());

    public MemberSubscription {
        topicNames = Collections.unmodifiableSortedSet(new TreeSet<>(topicNames));
        Objects.requireNonNull(topicRegex, "topicRegex");
        Objects.requireNonNull(serverAssignor, "serverAssignor");
    }

    MemberSubscription withTopicNames(Collection<String> names) {
        return new MemberSubscription(new TreeSet<>(names), topicRegex, serverAssignor);
    }

    /** An empty regex clears a regex subscription, as Kafka reads it. */
    MemberSubscription withTopicRegex(String regex) {
        return new MemberSubscription(topicNames, regex.isEmpty() ? Optional.empty() : Optional.of(regex),
                serverAssignor);
    }

    MemberSubscription withServerAssignor(String assignor) {
        return new MemberSubscription(topicNames, topicRegex, Optional.of(assignor));
    }

    /**
     * Compiles a subscription regex.
     *
     * @throws InvalidRegularExpression (INVALID_REGULAR_EXPRESSION) naming what is wrong with it
     */
    static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression("SubscribedTopicRegex `" + regex + "` is not a valid regular "
                    + "expression: " + e.getDescription() + ".");
        }
    }
}
