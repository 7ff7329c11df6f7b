/**
 * Topics, the leadership of their partitions, and the logs of the replicas this broker holds, as three services over
 * one set of snapshots (Kafka keeps the same three apart: the controller's topic administration, the
 * {@code MetadataCache}, and the {@code ReplicaManager}'s hosted partitions):
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.topic.TopicMetadata}: the read-only view (names, ids, descriptions, effective
 *       configs, partition counts, leadership), for everything that answers questions about topics;</li>
 *   <li>{@link dev.tributary.broker.topic.HostedReplicas}: the leader's log that clients read and write, every
 *       local replica's log, offline partitions, and the hand-off of leadership changes to the replication layer
 *       ({@link dev.tributary.broker.topic.LeadershipListener});</li>
 *   <li>{@link dev.tributary.broker.topic.TopicAdministration}: create, delete, add partitions, alter configs, and
 *       applying what other brokers changed in the metadata store.</li>
 * </ul>
 *
 * <p>{@link dev.tributary.broker.topic.BrokerTopics#open} opens the three together at start-up; each caller depends
 * on the narrowest it needs. They share {@code HostedTopics}: an immutable snapshot per topic, read without a lock
 * (the view and the replica lookups sit on every produce and fetch), replaced whole under one admin lock.
 *
 * <p>Plain Java; the durable metadata is behind {@link dev.tributary.broker.topic.TopicStore} and
 * {@link dev.tributary.broker.topic.LeadershipStore} (JPA implementations in {@code metadata}).
 */
package dev.tributary.broker.topic;
