/**
 * The consumer-group coordinator: Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup with
 * client-side assignment, static membership) and committed offsets (OffsetCommit, OffsetFetch, OffsetDelete), plus
 * group administration (DescribeGroups, ListGroups, DeleteGroups) and a Java view for REST.
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.group.GroupCoordinator}: the entry point; takes and returns kafka-clients'
 *       generated message classes;</li>
 *   <li>{@link dev.tributary.broker.group.MembershipProtocol}: joins, syncs, heartbeats, leaves and the rebalance
 *       timers; {@link dev.tributary.broker.group.OffsetProtocol}: commits, fetches, deletes, resets;</li>
 *   <li>{@link dev.tributary.broker.group.ClassicGroup} / {@link dev.tributary.broker.group.ClassicGroupMember}:
 *       one group's state, kept consistent under the group's monitor ({@link dev.tributary.broker.group.Groups});</li>
 *   <li>{@link dev.tributary.broker.group.OffsetStore}: durable offsets (JPA implementation in
 *       {@code metadata}), shared by the brokers of a cluster;</li>
 *   <li>{@link dev.tributary.broker.group.CoordinatorPlacement}: which live broker coordinates a group;
 *       {@link dev.tributary.broker.group.GroupOwnership}: which groups this coordinator serves now;
 *       {@link dev.tributary.broker.group.GroupHandover}: unloads and loads groups as brokers join and leave.</li>
 * </ul>
 *
 * <p>Plain Java plus kafka-clients; no Jakarta EE types. The broker boundary owns the scheduler and the lifecycle.
 */
package dev.tributary.broker.group;
