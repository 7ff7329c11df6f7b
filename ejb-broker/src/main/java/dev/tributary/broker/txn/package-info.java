/**
 * Kafka transactions' coordinator (Kafka's {@code coordinator.transaction}): the {@link
 * dev.tributary.broker.txn.TransactionCoordinator} keeps, for each transactional id placed on this broker, the
 * producer id and epoch and the open transaction's state, partitions and groups ({@link
 * dev.tributary.broker.txn.TransactionMetadata}) in a {@link dev.tributary.broker.txn.TransactionStateStore} the
 * cluster shares (the metadata database), and ends transactions by having a {@link
 * dev.tributary.broker.txn.TransactionMarkerChannel} write their markers.
 *
 * <p>A plain Java API that speaks Kafka's error codes: the Kafka handlers translate to it, and an in-VM caller (the
 * JCA adapter) can drive transactions through it the same way. It stands on no other package of the broker: the
 * marker writer ({@code replication}), the store ({@code metadata}) and the group coordinator's part
 * ({@link dev.tributary.broker.txn.GroupOffsetsCompletion}) are given to it.
 */
package dev.tributary.broker.txn;
