package dev.tributary.jca.remote;

import dev.tributary.jca.api.OutgoingRecord;
import dev.tributary.jca.api.RecordMetadata;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The broker at {@code bootstrapServers}, reached over the Kafka protocol (remote mode): a Tributary cluster on other
 * servers, or Apache Kafka. Sends go through one shared idempotent {@link KafkaProducer} with {@code acks=all};
 * each activation's group membership is a {@link RemoteGroupSession}.
 *
 * <p>What differs from the in-VM broker: <b>no two-phase commit.</b> A remote broker has nowhere to keep a
 * prepared-but-invisible transaction that this adapter could recover, so {@link #prepare} is refused and a JTA
 * transaction that needs two phases rolls back. One-phase commits (a local transaction, or a JTA transaction whose
 * only resource is this adapter) send the buffered records when the transaction commits: a rolled-back transaction
 * sends nothing, and a committed one is acknowledged only once every record is, but a crash part-way through the
 * commit can leave some of its records sent and not others.
 */
public final class RemoteBrokerGateway implements BrokerGateway, AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final RemoteCluster cluster;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Gateways {@link #as} made, one per user and password (an activation asks again on every retry). */
    private final Map<RemoteCluster, RemoteBrokerGateway> authenticated = new ConcurrentHashMap<>();
    private final AtomicInteger unkeyedPartition = new AtomicInteger();

    public RemoteBrokerGateway(String bootstrapServers) {
        this(RemoteCluster.anonymous(Objects.requireNonNull(bootstrapServers, "bootstrapServers")));
    }

    private RemoteBrokerGateway(RemoteCluster cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        this.producer = new KafkaProducer<>(cluster.clientConfig(Map.of(
                        CommonClientConfigs.CLIENT_ID_CONFIG, "tributary-jca",
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        // Sends from request threads mostly wait for their own acknowledgement: do not linger.
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        // Fail a send within a request's patience, not after Kafka's two-minute default.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public RecordMetadata append(OutgoingRecord record) {
        return append(record.topic(), List.of(record)).get(0);
    }

    @Override
    public List<RecordMetadata> append(String topic, List<OutgoingRecord> records) {
        return sendAll(records, null);
    }

    /** Not atomic here: the producer's batches may land apart (see {@link BrokerGateway#append(String, int, List)}). */
    @Override
    public List<RecordMetadata> append(String topic, int partition, List<OutgoingRecord> records) {
        return sendAll(records, partition);
    }

    /**
     * Sends every record (to {@code partition}, which {@link #partitionFor} chose, or if null to its own or the
     * partitioner's), then waits for all; the first failure is thrown once all have ended.
     */
    private List<RecordMetadata> sendAll(List<OutgoingRecord> records, Integer partition) {
        List<Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>(records.size());
        for (OutgoingRecord record : records) {
            if (partition == null && record.partition().isPresent()) {
                partitionFor(record); // else the producer would wait max.block.ms for a partition that never comes
            }
            try {
                sent.add(producer.send(KafkaRecords.toProducerRecord(record, partition)));
            } catch (TimeoutException e) {
                throw unreachable(record.topic(), e);
            } catch (KafkaException e) {
                throw new IllegalStateException("Could not send to " + record.topic() + ": " + e.getMessage(), e);
            }
        }
        List<RecordMetadata> landed = new ArrayList<>(records.size());
        RuntimeException failure = null;
        for (int i = 0; i < sent.size(); i++) {
            try {
                landed.add(KafkaRecords.toMetadata(sent.get(i).get()));
            } catch (ExecutionException e) {
                failure = failure != null ? failure : KafkaRecords.sendFailure(records.get(i).topic(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for acknowledgements", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return landed;
    }

    /** Kafka's default partitioner for keyed records (murmur2 of the key); round robin for unkeyed ones. */
    @Override
    public int partitionFor(OutgoingRecord record) {
        int partitions = partitionCount(record.topic());
        if (record.partition().isPresent()) {
            int partition = record.partition().getAsInt();
            if (partition >= partitions) {
                throw new IllegalArgumentException("Topic " + record.topic() + " has no partition " + partition
                        + " (it has " + partitions + ")");
            }
            return partition;
        }
        byte[] key = record.keyBytes();
        return key == null ? Math.floorMod(unkeyedPartition.getAndIncrement(), partitions)
                : Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private int partitionCount(String topic) {
        try {
            return producer.partitionsFor(topic).size();
        } catch (TimeoutException e) {
            throw unreachable(topic, e);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("Topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException unreachable(String topic, TimeoutException e) {
        return new IllegalArgumentException("Topic " + topic + " is unknown to the brokers at " + bootstrapServers
                + ", or they cannot be reached: " + e.getMessage(), e);
    }

    @Override
    public void prepare(String transactionId, List<OutgoingRecord> records) {
        throw new UnsupportedOperationException("Two-phase (XA) commit needs the broker in this server's JVM; with "
                + "bootstrapServers=" + bootstrapServers + " a transaction commits in one phase only: make Tributary "
                + "the transaction's only resource, or use a local transaction");
    }

    @Override
    public List<RecordMetadata> commit(String transactionId) {
        throw new IllegalStateException("No transaction " + transactionId + " is prepared: in remote mode none is");
    }

    @Override
    public List<RecordMetadata> commitOnePhase(List<OutgoingRecord> records) {
        return sendAll(records, null);
    }

    /** Nothing was prepared, so there is nothing to forget. */
    @Override
    public void rollback(String transactionId) {
    }

    @Override
    public List<String> preparedTransactions() {
        return List.of();
    }

    @Override
    public GroupSession joinGroup(GroupSubscription subscription) {
        return new RemoteGroupSession(cluster, subscription);
    }

    /**
     * This gateway as {@code user}, authenticated by the remote brokers (SCRAM-SHA-512): a wrong password shows on
     * the first send or join, as the clients' SaslAuthenticationException.
     */
    @Override
    public BrokerGateway as(String user, char[] password) {
        return authenticated.computeIfAbsent(cluster.as(user, password), RemoteBrokerGateway::new);
    }

    @Override
    public void close() {
        authenticated.values().forEach(RemoteBrokerGateway::close);
        producer.close(CLOSE_TIMEOUT);
    }
}
