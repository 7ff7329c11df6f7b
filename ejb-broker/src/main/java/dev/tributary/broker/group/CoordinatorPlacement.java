package dev.tributary.broker.group;

import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.ClusterView;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which live broker coordinates a consumer group: rendezvous (highest-random-weight) hashing of the group id with
 * each candidate broker id. Every broker computes the same answer from the same {@link ClusterView}, without asking
 * the others; when a broker joins or leaves, only the groups it wins or held move (about 1/n of them), the rest
 * keep their coordinator and its in-memory state.
 *
 * <p>The weight is a 64-bit FNV-1a hash of the group id's UTF-8 bytes, mixed with the broker id through
 * MurmurHash3's finalizer: fixed by this code alone (unlike {@code String.hashCode} it spreads similar ids, and it
 * is the same in every JVM and version), so brokers of different builds agree as long as this class does.
 *
 * <p>Candidates are the live brokers that announce a Kafka address, since clients are told to connect to it; only
 * if none does (a cluster serving JCA applications alone) are all live brokers candidates, so that every group
 * still has exactly one coordinator.
 */
public final class CoordinatorPlacement {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** 2^64 / golden ratio: spreads consecutive broker ids before they are mixed in. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private CoordinatorPlacement() {
    }

    /** The broker that coordinates {@code groupId} among the live brokers; empty if there is none. */
    public static Optional<BrokerInfo> coordinator(String groupId, ClusterView live) {
        OptionalInt id = coordinatorId(groupId, candidates(live));
        return id.isPresent() ? live.broker(id.getAsInt()) : Optional.empty();
    }

    /** The ids of the brokers that may coordinate groups in {@code live}. */
    public static Set<Integer> candidates(ClusterView live) {
        Set<Integer> withKafka = new TreeSet<>();
        Set<Integer> all = new TreeSet<>();
        for (BrokerInfo broker : live.brokers()) {
            all.add(broker.id());
            if (!broker.kafkaAddress().isEmpty()) {
                withKafka.add(broker.id());
            }
        }
        return withKafka.isEmpty() ? all : withKafka;
    }

    /** The candidate with the highest weight for {@code groupId} (the lowest id on a tie); empty if none. */
    public static OptionalInt coordinatorId(String groupId, Collection<Integer> candidates) {
        long groupHash = fnv1a(groupId);
        OptionalInt best = OptionalInt.empty();
        long bestWeight = 0;
        for (int brokerId : candidates) {
            long weight = weight(groupHash, brokerId);
            int order = best.isEmpty() ? 1 : Long.compareUnsigned(weight, bestWeight);
            if (order > 0 || (order == 0 && brokerId < best.getAsInt())) {
                best = OptionalInt.of(brokerId);
                bestWeight = weight;
            }
        }
        return best;
    }

    static long weight(long groupHash, int brokerId) {
        return fmix64(groupHash ^ fmix64(brokerId * GOLDEN_GAMMA));
    }

    static long fnv1a(String text) {
        long hash = FNV_OFFSET_BASIS;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
