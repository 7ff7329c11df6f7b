package dev.tributary.jca.inbound;

import dev.tributary.jca.TributaryResourceAdapter;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The activation config of a Tributary message-driven bean ({@code @ActivationConfigProperty}):
 * <ul>
 * <li>{@code topics} (required): comma-separated topic names;</li>
 * <li>{@code groupId} (required): the consumer group, shared with Kafka clients of the same group id;</li>
 * <li>{@code startFrom}: {@code earliest} or {@code latest} (default): where a partition without a committed offset
 *     starts;</li>
 * <li>{@code maxConcurrency} (default {@value #DEFAULT_MAX_CONCURRENCY}): how many partitions are processed in
 *     parallel;</li>
 * <li>{@code maxPollRecords} (default {@value #DEFAULT_MAX_POLL_RECORDS}): records read from a partition at once;</li>
 * <li>{@code retries} (default {@value #DEFAULT_RETRIES}) and {@code retryBackoffMs} (default
 *     {@value #DEFAULT_RETRY_BACKOFF_MS}): how often and how far apart a failing record is redelivered;</li>
 * <li>{@code deadLetterTopic} (optional): where a record goes once its retries are used up; without it the
 *     partition pauses and keeps retrying;</li>
 * <li>{@code isolationLevel}: {@code read_committed} (default), as Kafka's consumer setting: records of Kafka
 *     transactions are delivered once committed, never if aborted; {@code read_uncommitted} delivers them as they
 *     are written.</li>
 * </ul>
 * Every property is a string, so that {@link #validate()} (not the container's conversion) reports a bad value,
 * naming the property.
 */
public class TributaryActivationSpec implements ActivationSpec {

    static final int DEFAULT_MAX_CONCURRENCY = 4;
    static final int DEFAULT_MAX_POLL_RECORDS = 500;
    static final int DEFAULT_RETRIES = 3;
    static final long DEFAULT_RETRY_BACKOFF_MS = 1000;

    private ResourceAdapter resourceAdapter;
    private String topics;
    private String groupId;
    private String startFrom;
    private String maxConcurrency;
    private String maxPollRecords;
    private String retries;
    private String retryBackoffMs;
    private String deadLetterTopic;
    private String isolationLevel;
    private String user;
    private String password;

    /**
     * @throws InvalidPropertyException naming the first missing or invalid property and what it must be
     */
    @Override
    public void validate() throws InvalidPropertyException {
        config();
    }

    /** The validated configuration. @throws InvalidPropertyException as {@link #validate()} */
    ActivationConfig config() throws InvalidPropertyException {
        List<String> topicList = topics == null ? List.of()
                : Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (topicList.isEmpty()) {
            throw invalid("topics", "is required: the comma-separated topics to consume", topics);
        }
        if (groupId == null || groupId.isBlank()) {
            throw invalid("groupId", "is required: the consumer group to join", groupId);
        }
        boolean fromEarliest = switch (startFrom == null ? "latest" : startFrom.trim().toLowerCase(Locale.ROOT)) {
            case "earliest" -> true;
            case "latest" -> false;
            default -> throw invalid("startFrom", "must be 'earliest' or 'latest'", startFrom);
        };
        boolean readCommitted = switch (isolationLevel == null ? "read_committed"
                : isolationLevel.trim().toLowerCase(Locale.ROOT)) {
            case "read_committed" -> true;
            case "read_uncommitted" -> false;
            default -> throw invalid("isolationLevel", "must be 'read_committed' or 'read_uncommitted'",
                    isolationLevel);
        };
        return new ActivationConfig(topicList, groupId.trim(), fromEarliest, readCommitted,
                (int) positive("maxConcurrency", maxConcurrency, DEFAULT_MAX_CONCURRENCY),
                (int) positive("maxPollRecords", maxPollRecords, DEFAULT_MAX_POLL_RECORDS),
                (int) atLeastZero("retries", retries, DEFAULT_RETRIES),
                atLeastZero("retryBackoffMs", retryBackoffMs, DEFAULT_RETRY_BACKOFF_MS),
                Optional.ofNullable(deadLetterTopic).map(String::trim).filter(t -> !t.isEmpty()),
                credentials());
    }

    private Optional<ActivationConfig.Credentials> credentials() throws InvalidPropertyException {
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        if (password == null || password.isEmpty()) {
            throw invalid("password", "is required with user '" + user.trim() + "'", null);
        }
        return Optional.of(new ActivationConfig.Credentials(user.trim(), password));
    }

    private static long positive(String name, String value, long defaultValue) throws InvalidPropertyException {
        long parsed = number(name, value, defaultValue, "a positive integer");
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw invalid(name, "must be a positive integer", value);
        }
        return parsed;
    }

    private static long atLeastZero(String name, String value, long defaultValue) throws InvalidPropertyException {
        long parsed = number(name, value, defaultValue, "an integer >= 0");
        if (parsed < 0 || parsed > Integer.MAX_VALUE) {
            throw invalid(name, "must be an integer >= 0", value);
        }
        return parsed;
    }

    private static long number(String name, String value, long defaultValue, String what)
            throws InvalidPropertyException {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be " + what, value);
        }
    }

    private static InvalidPropertyException invalid(String name, String requirement, String value) {
        return new InvalidPropertyException("Invalid Tributary activation config property '" + name + "': it "
                + requirement + (value == null ? "" : ", not '" + value + "'"));
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof TributaryResourceAdapter)) {
            throw new ResourceException("Not the Tributary resource adapter: " + adapter);
        }
        this.resourceAdapter = adapter;
    }

    public String getIsolationLevel() {
        return isolationLevel;
    }

    public void setIsolationLevel(String isolationLevel) {
        this.isolationLevel = isolationLevel;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public String getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(String maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public String getMaxPollRecords() {
        return maxPollRecords;
    }

    public void setMaxPollRecords(String maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    public String getRetries() {
        return retries;
    }

    public void setRetries(String retries) {
        this.retries = retries;
    }

    public String getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(String retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    /** The broker user to consume as (the broker's ACLs apply to it); none by default. */
    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public String toString() {
        return "TributaryActivationSpec[topics=" + topics + ", groupId=" + groupId + "]";
    }
}
