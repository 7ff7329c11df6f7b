package dev.tributary.broker.txn;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What ListTransactions asks for, filtered as Kafka filters it: an empty set passes everything.
 *
 * @param states          only these states
 * @param producerIds     only these producer ids
 * @param idPattern       only transactional ids this regular expression matches as a whole; null for all
 * @param minDurationMs   only transactions open at least this long; negative for all
 */
public record TransactionFilter(Set<TransactionState> states, Set<Long> producerIds, Pattern idPattern,
                                long minDurationMs) {

    public TransactionFilter {
        states = Set.copyOf(states);
        producerIds = Set.copyOf(producerIds);
    }

    /**
     * @param idPattern the request's pattern; null or empty for all
     * @throws java.util.regex.PatternSyntaxException if it is not a regular expression
     */
    public static TransactionFilter of(Set<TransactionState> states, Set<Long> producerIds, String idPattern,
                                       long minDurationMs) {
        return new TransactionFilter(states, producerIds,
                idPattern == null || idPattern.isEmpty() ? null : Pattern.compile(idPattern), minDurationMs);
    }

    boolean matches(TransactionMetadata m, long nowMs) {
        return (states.isEmpty() || states.contains(m.state()))
                && (producerIds.isEmpty() || producerIds.contains(m.producerId()))
                && (idPattern == null || idPattern.matcher(m.transactionalId()).matches())
                && (minDurationMs < 0 || m.state() == TransactionState.ONGOING
                    && nowMs - m.startTimeMs() >= minDurationMs);
    }
}
