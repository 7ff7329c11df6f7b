/**
 * In-process consumers: a consumer-group member that joins through the same {@link
 * dev.tributary.broker.group.GroupCoordinator} as Kafka clients ({@link dev.tributary.broker.consumer.GroupMember}),
 * and long-polling reads from partition logs ({@link dev.tributary.broker.consumer.RecordFetcher}). Used by the JCA
 * adapter's message-driven beans through the container boundary. Plain Java; no threads of its own.
 */
package dev.tributary.broker.consumer;
