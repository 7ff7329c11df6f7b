package dev.tributary.broker.kafka;

import dev.tributary.broker.cluster.FakeDataGrid;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.server.BrokerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Brokers of one cluster in this JVM: each with its own data directory and Kafka listener, all on one shared
 * in-memory H2 metadata database and one in-memory data grid. {@link #crash} takes a broker out as a killed process
 * leaves: the grid drops it at once, and it answers nothing more.
 */
final class LocalCluster implements AutoCloseable {

    private final Path root;
    private final String dbUrl = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final FakeDataGrid.Network grid = new FakeDataGrid.Network();
    private final ReplicationConfig replication;
    private final KafkaListenerConfig listener;
    private final Properties clientSecurity;
    private final CleanerConfig cleaner;
    private final List<Member> members = new ArrayList<>();

    record Member(int index, RunningKafkaBroker running, FakeDataGrid gridMember) {
        int brokerId() {
            return running.broker.identity().brokerId();
        }
    }

    LocalCluster(Path root, int brokers, ReplicationConfig replication) {
        this(root, brokers, replication, CleanerConfig.defaults());
    }

    /** @param cleaner every broker's log cleaner settings (a short back-off makes compaction happen soon) */
    LocalCluster(Path root, int brokers, ReplicationConfig replication, CleanerConfig cleaner) {
        this(root, brokers, replication, KafkaListenerConfig.of("127.0.0.1", 0), new Properties(), cleaner);
    }

    /** @param clientSecurity what clients made here ({@link #admin}) need for {@code listener}, e.g. SASL */
    LocalCluster(Path root, int brokers, ReplicationConfig replication, KafkaListenerConfig listener,
                 Properties clientSecurity) {
        this(root, brokers, replication, listener, clientSecurity, CleanerConfig.defaults());
    }

    private LocalCluster(Path root, int brokers, ReplicationConfig replication, KafkaListenerConfig listener,
                         Properties clientSecurity, CleanerConfig cleaner) {
        this.root = root;
        this.replication = replication;
        this.listener = listener;
        this.clientSecurity = clientSecurity;
        this.cleaner = cleaner;
        try {
            for (int i = 0; i < brokers; i++)
                start(i);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts broker {@code index} (again, on its old data directory, after a crash) and joins it to the grid. */
    Member start(int index) {
        BrokerConfig config = BrokerConfig.embedded(root.resolve("broker-" + index))
                .withDatabase(dbUrl, Optional.empty(), Optional.empty()).withReplication(replication)
                .withCleaner(cleaner);
        RunningKafkaBroker running = new RunningKafkaBroker(config, listener);
        FakeDataGrid gridMember = grid.join();
        running.broker.joinCluster(Optional.of(gridMember), running.bootstrap(), Optional.empty());
        Member member = new Member(index, running, gridMember);
        members.removeIf(m -> m.index() == index);
        members.add(member);
        return member;
    }

    List<Member> members() {
        return List.copyOf(members);
    }

    Member byBrokerId(int brokerId) {
        return members.stream().filter(m -> m.brokerId() == brokerId).findFirst().orElseThrow();
    }

    /** The grid loses the broker first (as when its process dies), then it stops serving. */
    void crash(Member member) {
        grid.crash(member.gridMember());
        members.remove(member);
        member.running().close();
    }

    /** Cuts the broker off from the others' data grid (its database and Kafka traffic still flow). */
    void isolateFromGrid(Member member) {
        grid.isolate(member.gridMember());
    }

    void healGrid(Member member) {
        grid.heal(member.gridMember());
    }

    /** Every broker reads what the others changed, now. */
    void refreshAll() {
        members.forEach(m -> m.running().broker.refreshMetadata());
    }

    String bootstrap() {
        return members.stream().map(m -> m.running().bootstrap()).collect(Collectors.joining(","));
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.putAll(clientSecurity);
        return Admin.create(props);
    }

    RunningKafkaBroker any() {
        return members.get(0).running();
    }

    @Override
    public void close() {
        for (Member member : List.copyOf(members)) {
            try {
                member.running().close();
            } catch (RuntimeException e) {
                // close the others anyway
            }
        }
        members.clear();
    }
}
