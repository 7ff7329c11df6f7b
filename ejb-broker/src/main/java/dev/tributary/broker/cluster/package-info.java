/**
 * The cluster's control plane, plain Java: which broker this is ({@link dev.tributary.broker.cluster.BrokerIdentity},
 * kept in the data directory and allocated from the shared metadata database), and which brokers are alive
 * ({@link dev.tributary.broker.cluster.ClusterMembership}). Liveness comes from the application server's data grid
 * (Payara's Hazelcast), reached through the {@link dev.tributary.broker.cluster.DataGrid} the boundary implements;
 * this package runs no gossip or failure detection of its own.
 */
package dev.tributary.broker.cluster;
