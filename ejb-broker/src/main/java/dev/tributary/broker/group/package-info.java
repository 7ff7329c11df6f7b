/**
 * The consumer-group coordinator: Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup with
 * client-side assignment, static membership), the consumer group protocol of KIP-848 (ConsumerGroupHeartbeat with
 * server-side assignment, ConsumerGroupDescribe) and committed offsets (OffsetCommit, OffsetFetch, OffsetDelete),
 * plus group administration (DescribeGroups, ListGroups, DeleteGroups) and a Java view for REST.
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.group.GroupCoordinator}: the entry point; takes and returns kafka-clients'
 *       generated message classes and delegates to:</li>
 *   <li>{@link dev.tributary.broker.group.MembershipProtocol}: the classic protocol's joins, syncs, heartbeats,
 *       leaves and rebalance timers, over {@link dev.tributary.broker.group.ClassicGroup} and
 *       {@link dev.tributary.broker.group.ClassicGroupMember};</li>
 *   <li>{@link dev.tributary.broker.group.ConsumerGroupProtocol}: KIP-848's heartbeats, session and rebalance
 *       timeouts and durability, over {@link dev.tributary.broker.group.ConsumerGroup} (group epoch, target
 *       assignment, {@link dev.tributary.broker.group.PartitionOwnership}) and
 *       {@link dev.tributary.broker.group.ConsumerGroupMember} (epochs, assigned and pending-revocation partitions);
 *       {@link dev.tributary.broker.group.MemberReconciliation} moves a member towards its
 *       {@link dev.tributary.broker.group.TargetAssignment}, which a
 *       {@link dev.tributary.broker.group.ConsumerGroupAssignor} ({@code uniform}, {@code range}) computes;
 *       {@link dev.tributary.broker.group.TopicSubscriptions} resolves subscriptions against the topics;</li>
 *   <li>{@link dev.tributary.broker.group.OffsetProtocol}: commits, fetches, deletes, resets;
 *       {@link dev.tributary.broker.group.GroupDescriptions}: what DescribeGroups, ConsumerGroupDescribe, ListGroups
 *       and REST tell;</li>
 *   <li>{@link dev.tributary.broker.group.Groups}: the groups of both types (a {@link dev.tributary.broker.group.Group}
 *       each), one monitor per group, and the conversion of an empty group from one type to the other;</li>
 *   <li>{@link dev.tributary.broker.group.OffsetStore} and {@link dev.tributary.broker.group.ConsumerGroupStore}:
 *       durable offsets and consumer groups (JPA implementations in {@code metadata}), shared by the brokers of a
 *       cluster, read by {@link dev.tributary.broker.group.GroupLoader};</li>
 *   <li>{@link dev.tributary.broker.group.CoordinatorPlacement}: which live broker coordinates a group;
 *       {@link dev.tributary.broker.group.GroupOwnership}: which groups this coordinator serves now;
 *       {@link dev.tributary.broker.group.GroupHandover}: unloads and loads groups as brokers join and leave.</li>
 * </ul>
 *
 * <p>Plain Java plus kafka-clients; no Jakarta EE types. The broker boundary owns the scheduler and the lifecycle.
 */
package dev.tributary.broker.group;
