package dev.tributary.jca.spi;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import java.util.List;

/**
 * The broker as the resource adapter sees it when both run in one JVM: records go from the application's thread
 * straight into the partition log, without sockets or serialization. Implemented by the broker (its container
 * boundary), which publishes itself through {@link InVmBrokers} while it runs.
 *
 * <p>Only JDK and {@code api} types cross this interface, so the broker's and the adapter's class loaders need to
 * share nothing but the adapter's classes. Errors: {@link IllegalArgumentException} for an unknown topic or
 * partition or an invalid record, {@link SecurityException} when the gateway's principal may not do it (the broker's
 * ACLs), {@link IllegalStateException} for anything else the broker cannot do.
 *
 * <p><b>Transactions.</b> Records of a transaction are buffered by the adapter and reach the broker only at
 * {@link #prepare} or {@link #commitOnePhase}. {@code prepare} writes them durably to the broker's transaction log
 * without making them visible; {@code commit} appends them to their partitions; {@code rollback} forgets them.
 * After a crash, {@link #preparedTransactions} lists every transaction prepared but neither committed nor rolled
 * back, and {@code commit} / {@code rollback} finish it.
 */
public interface BrokerGateway {

    /** Appends one record and returns where it landed once it is acknowledged. */
    RecordMetadata append(OutgoingRecord record);

    /**
     * Appends records of one topic, one batch (one append, one fsync) per partition, and returns, in order, where
     * each landed once all are acknowledged. If it throws, records of partitions appended before the failure may
     * be in the log.
     */
    List<RecordMetadata> append(String topic, List<OutgoingRecord> records);

    /**
     * Appends records to one partition, in order, as one append (one fsync for all of them, as many batches as the
     * topic's {@code max.message.bytes} needs), and returns, in order, where each landed once all are acknowledged.
     * The records' own partitions are not looked at: the caller placed them there with {@link #partitionFor}.
     * In-VM, the append is all or nothing: if it throws, none of the records is in the log.
     */
    List<RecordMetadata> append(String topic, int partition, List<OutgoingRecord> records);

    /** The partition {@code record} goes to (its own, or the partitioner's choice); checks topic and partition. */
    int partitionFor(OutgoingRecord record);

    /** Writes a transaction's records durably, invisible to consumers, under {@code transactionId}. */
    void prepare(String transactionId, List<OutgoingRecord> records);

    /**
     * Appends a prepared transaction's records, all of them; safe to call again for a transaction whose commit a
     * crash interrupted.
     *
     * @return where the records landed, in the order they were prepared
     * @throws IllegalStateException if no such transaction is prepared
     */
    List<RecordMetadata> commit(String transactionId);

    /** Prepare and commit in one step (one-phase XA commit, local transactions). */
    List<RecordMetadata> commitOnePhase(List<OutgoingRecord> records);

    /** Forgets a prepared transaction; nothing of it becomes visible. Unknown ids are ignored. */
    void rollback(String transactionId);

    /** Transactions prepared but not yet committed or rolled back, e.g. because the server crashed in between. */
    List<String> preparedTransactions();

    /**
     * This broker as the user {@code user}: what the returned gateway does is checked against the broker's ACLs
     * for {@code User:user} (the gateway itself acts for no one in particular: {@code User:ANONYMOUS}).
     *
     * @throws SecurityException if the user does not exist or the password is wrong
     */
    BrokerGateway as(String user, char[] password);

    /** Joins {@code subscription}'s consumer group as a new member. */
    GroupSession joinGroup(GroupSubscription subscription);
}
