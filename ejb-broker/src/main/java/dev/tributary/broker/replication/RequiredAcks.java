package dev.tributary.broker.replication;

import org.apache.kafka.common.errors.InvalidRequiredAcksException;

/** What an append must reach before it is acknowledged: Kafka's {@code acks}, as the leader acts on it. */
public enum RequiredAcks {

    /**
     * {@code acks=1} (and {@code acks=0}, whose producer hears nothing back): the leader's log, as durable as the
     * topic's {@code flush.messages} demands.
     */
    LEADER,

    /**
     * {@code acks=all}: also every in-sync replica; refused before anything is written while the in-sync replicas
     * are fewer than {@code min.insync.replicas}. The only choice of writers that have no acks setting (REST, the
     * JCA adapter, its transactions), so that what they acknowledge survives the leader's broker dying.
     */
    ALL;

    /**
     * The acks of a Kafka produce request.
     *
     * @throws InvalidRequiredAcksException unless {@code acks} is 0, 1 or -1
     */
    public static RequiredAcks of(short acks) {
        return switch (acks) {
            case 0, 1 -> LEADER;
            case -1 -> ALL;
            default -> throw new InvalidRequiredAcksException("acks must be 0, 1 or -1, was " + acks);
        };
    }
}
