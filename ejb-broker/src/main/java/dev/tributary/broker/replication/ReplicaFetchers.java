package dev.tributary.broker.replication;

import dev.tributary.broker.log.PartitionLog;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/** One {@link ReplicaFetcher} per leader this broker follows partitions of, started and stopped as needed. */
final class ReplicaFetchers implements AutoCloseable {

    private final int brokerId;
    private final ReplicationConfig config;
    private final Function<Integer, String> brokerAddresses;
    private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
    private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();

    ReplicaFetchers(int brokerId, ReplicationConfig config, Function<Integer, String> brokerAddresses) {
        this.brokerId = brokerId;
        this.config = config;
        this.brokerAddresses = brokerAddresses;
    }

    synchronized void follow(TopicPartition tp, int leaderId, int leaderEpoch, PartitionLog log) {
        Integer previous = leaderOf.get(tp);
        if (previous != null && previous != leaderId)
            stopFollowing(tp);
        ReplicaFetcher fetcher = byLeader.computeIfAbsent(leaderId, id -> {
            ReplicaFetcher started = new ReplicaFetcher(brokerId, id, config, brokerAddresses);
            started.start();
            return started;
        });
        fetcher.add(tp, log, leaderEpoch);
        leaderOf.put(tp, leaderId);
    }

    /** Returns once no record fetched for {@code tp} can reach its log any more. */
    synchronized void stopFollowing(TopicPartition tp) {
        Integer leader = leaderOf.remove(tp);
        if (leader == null)
            return;
        ReplicaFetcher fetcher = byLeader.get(leader);
        if (fetcher.remove(tp)) {
            byLeader.remove(leader);
            fetcher.close();
        }
    }

    synchronized Map<TopicPartition, Integer> following() {
        return Map.copyOf(leaderOf);
    }

    @Override
    public synchronized void close() {
        byLeader.values().forEach(ReplicaFetcher::close);
        byLeader.clear();
        leaderOf.clear();
    }
}
