package dev.tributary.broker.server;

import dev.tributary.broker.cluster.BrokerIdentity;
import dev.tributary.broker.cluster.BrokerInfo;
import dev.tributary.broker.cluster.BrokerRegistry;
import dev.tributary.broker.cluster.BrokerSession;
import dev.tributary.broker.cluster.ClusterMetrics;
import dev.tributary.broker.cluster.ClusterMembership;
import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.cluster.ControllerLease;
import dev.tributary.broker.cluster.DataGrid;
import dev.tributary.broker.cluster.GridMembership;
import dev.tributary.broker.cluster.PartitionCounts;
import dev.tributary.broker.cluster.RegisteredBroker;
import dev.tributary.broker.cluster.SessionAwareMembership;
import dev.tributary.broker.cluster.StandaloneMembership;
import dev.tributary.broker.group.CoordinatorPlacement;
import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.log.LastGoodTruncation;
import dev.tributary.broker.log.LogManager;
import dev.tributary.broker.log.LogScrubber;
import dev.tributary.broker.log.ProducerIdManager;
import dev.tributary.broker.metadata.MetadataDatabase;
import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.records.RecordReader;
import dev.tributary.broker.records.RecordWriter;
import dev.tributary.broker.replication.Controller;
import dev.tributary.broker.replication.LeaderAppends;
import dev.tributary.broker.replication.MetadataRefresher;
import dev.tributary.broker.replication.ProduceForwarder;
import dev.tributary.broker.replication.ReplicaManager;
import dev.tributary.broker.replication.TransactionMarkerWriter;
import dev.tributary.broker.replication.TransactionVerifier;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.security.RoleGrants;
import dev.tributary.broker.security.Users;
import dev.tributary.broker.topic.BrokerTopics;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.LeadershipStore;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.broker.transaction.Transactions;
import dev.tributary.broker.txn.TransactionCoordinator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.logging.Logger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * One running broker: its data directory, metadata database, logs, topics and consumer groups, wired together in the order they
 * depend on each other and closed in reverse. Plain Java: the container boundary only starts, schedules and stops it.
 *
 * <p><b>Size.</b> This is the composition root and the boundary's one handle on the core: {@link #start} builds every
 * service in the order they depend on each other (read top to bottom, it is the start sequence), {@link #close}
 * closes them in reverse, and some thirty one-line accessors hand them out. No mechanism lives here; each is in the
 * class it names. Joining a cluster ({@link #joinCluster}, with the controller, metadata refresh and the periodic
 * transaction check) is the part to move into a class of its own when this grows again.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());
    /**
     * How long a REST or JCA write waits for its partition's in-sync replicas: a Kafka producer's default
     * request.timeout.ms, the wait a stock client's acks=all write gets.
     */
    private static final Duration WRITE_COMMIT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The id the first broker of a metadata database gets, so a broker alone (embedded H2) is broker 0; brokers
     * sharing a database get 1, 2, ... (see {@link BrokerIdentity}).
     */
    public static final int SINGLE_BROKER_ID = 0;

    private final BrokerConfig config;
    private final Clock clock;
    private final MetadataDatabase metadata;
    private final LogManager logs;
    private final BrokerTopics topics;
    private final GroupCoordinator groups;
    private final GroupAdmin groupAdmin;
    private final ScheduledExecutorService ownedScheduler;
    private final RecordWriter writer;
    private final RecordReader reader;
    private final Transactions transactions;
    private final Users users;
    private final Authorizer authorizer;
    private final BrokerMetrics metrics;
    private final BrokerReadiness readiness;
    private final BrokerIdentity identity;
    private final BrokerRegistry brokerRegistry;
    private final LeadershipStore leadershipStore;
    private final BrokerSession session;
    private final ClusterMetrics clusterMetrics;
    private final ReplicaManager replicas;
    private final LeaderAppends appends;
    private final ProduceForwarder forwarder;
    private final MetadataRefresher metadataRefresher;
    private final ScheduledExecutorService scheduler;
    private final LogScrubber scrubber;
    private final AtomicReference<ClusterMembership> membership;
    private volatile Controller controller;
    private volatile ScheduledFuture<?> membershipRecheck;
    /** How often the membership view is checked against the data grid, whatever its events said. */
    private static final long MEMBERSHIP_RECHECK_MS = 1_000;
    /**
     * Alone, from this data directory; in a cluster, from the shared database, so that no two brokers hand out the
     * same id.
     */
    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactionCoordinator;
    private final TransactionMarkerWriter transactionMarkers;
    private final TransactionVerifier transactionVerifier;

    private Broker(BrokerConfig config, Clock clock, MetadataDatabase metadata, LogManager logs,
                   BrokerIdentity identity, BrokerTopics topics, BrokerSession session,
                   ClusterMetrics clusterMetrics, ReplicaManager replicas,
                   LeaderAppends appends,
                   ProduceForwarder forwarder, AtomicReference<ClusterMembership> membership,
                   GroupCoordinator groups, RecordWriter writer, Transactions transactions, BrokerMetrics metrics,
                   BrokerReadiness readiness, LogScrubber scrubber, ScheduledExecutorService scheduler,
                   ScheduledExecutorService ownedScheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.scrubber = scrubber;
        this.producerIds = config.dbUrl().isPresent() ? new ProducerIdManager(metadata.producerIdBlocks())
                : logs.producerIds();
        this.leadershipStore = metadata.leadershipStore();
        this.session = session;
        this.clusterMetrics = clusterMetrics;
        this.replicas = replicas;
        this.appends = appends;
        this.forwarder = forwarder;
        this.membership = membership;
        this.metadataRefresher = new MetadataRefresher(leadershipStore, topics.administration(), config.replication(),
                scheduler);
        this.identity = identity;
        this.brokerRegistry = metadata.brokerRegistry();
        this.clock = clock;
        this.groups = groups;
        this.groupAdmin = new GroupAdmin(groups, topics.metadata(), topics.replicas());
        this.ownedScheduler = ownedScheduler;
        this.metadata = metadata;
        this.logs = logs;
        this.topics = topics;
        this.writer = writer;
        this.reader = new RecordReader(topics.replicas(), metrics);
        this.transactions = transactions;
        this.users = new Users(metadata.userStore());
        this.authorizer = new Authorizer(config.acls().enabled(), config.acls().superUsers(), metadata.aclStore(),
                new RoleGrants(users::find, System::nanoTime));
        this.metrics = metrics;
        this.readiness = readiness;
        // Transactional ids are placed on brokers as consumer groups are; markers and KIP-890 questions go to the
        // leaders and coordinators at the addresses they announced.
        Function<String, OptionalInt> coordinatorOf = this::coordinatorOf;
        IntFunction<String> addresses = brokerId -> viewOf(membership.get()).broker(brokerId)
                .map(BrokerInfo::kafkaAddress).filter(address -> !address.isEmpty()).orElse(null);
        this.transactionMarkers = new TransactionMarkerWriter(identity.brokerId(), topics.metadata(), appends,
                groups::completeTransaction,
                coordinatorOf, addresses, config.replication().login(), scheduler,
                config.transactions().markerRetryBackoffMs(), (int) WRITE_COMMIT_TIMEOUT.toMillis());
        this.transactionCoordinator = new TransactionCoordinator(metadata.transactionStateStore(), transactionMarkers,
                producerIds::nextProducerId, id -> coordinatorOf(id).equals(OptionalInt.of(identity.brokerId())),
                config.transactions(), clock, scheduler);
        this.transactionVerifier = new TransactionVerifier(identity.brokerId(), transactionCoordinator,
                coordinatorOf, addresses, config.replication().login(), (int) WRITE_COMMIT_TIMEOUT.toMillis());
    }

    /**
     * The broker that coordinates a consumer group or a transactional id with this key now: placed by
     * {@link CoordinatorPlacement} over the live brokers; this broker while it has not joined a cluster.
     */
    private OptionalInt coordinatorOf(String key) {
        ClusterView live = viewOf(membership.get());
        if (live.brokers().isEmpty())
            return OptionalInt.of(identity.brokerId());
        return CoordinatorPlacement.coordinatorId(key, CoordinatorPlacement.candidates(live));
    }

    /** A broker with a timer thread of its own (for group session and rebalance timeouts), for plain-Java use. */
    public static Broker start(BrokerConfig config, Clock clock) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-broker-timer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return start(config, clock, scheduler, new BrokerReadiness(), scheduler);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * A broker whose timers run on {@code scheduler}, which stays the caller's (the container's); {@code readiness}
     * follows the start (recovery included) and the broker's life, for health checks that run meanwhile.
     */
    public static Broker start(BrokerConfig config, Clock clock, ScheduledExecutorService scheduler,
                               BrokerReadiness readiness) {
        return start(config, clock, scheduler, readiness, null);
    }

    private static Broker start(BrokerConfig config, Clock clock, ScheduledExecutorService scheduler,
                                BrokerReadiness readiness, ScheduledExecutorService owned) {
        long started = System.nanoTime();
        MetadataDatabase metadata = null;
        LogManager logs = null;
        BrokerSession session = null;
        ReplicaManager replicas = null;
        ProduceForwarder forwarder = null;
        LogScrubber scrubber = null;
        try {
            // The log manager locks the data directory first: a second broker on it fails before touching anything.
            BrokerMetrics metrics = new BrokerMetrics();
            ClusterMetrics clusterMetrics = new ClusterMetrics();
            logs = new LogManager(logDir(config.dataDir()), clock, metrics, config.cleaner(),
                    config.recoveryThreads());
            readiness.recovering(logs);
            metadata = MetadataDatabase.open(config.dataDir(), config.dbUrl(), config.dbUser(), config.dbPassword());
            BrokerIdentity identity = BrokerIdentity.establish(config.dataDir(), metadata.brokerRegistry(), clock);
            BrokerTopics topics = BrokerTopics.open(metadata.topicStore(), metadata.leadershipStore(), logs, clock,
                    identity.brokerId());
            logs.startCleaner();
            session = new BrokerSession(identity.brokerId(), metadata.clusterSessions(),
                    config.replication().brokerSessionTimeoutMs(), config.replication().fenceAfterMs(),
                    System::nanoTime);
            session.start(config.replication().brokerHeartbeatIntervalMs());
            AtomicReference<ClusterMembership> membership = new AtomicReference<>();
            // Followers and forwarded writes reach leaders at the addresses they announced in the data grid, or
            // recorded in the database: a broker cut off from the grid alone still replicates over Kafka.
            BrokerRegistry registry = metadata.brokerRegistry();
            Function<Integer, String> kafkaAddresses = brokerId -> viewOf(membership.get()).broker(brokerId)
                    .map(BrokerInfo::kafkaAddress).filter(address -> !address.isEmpty())
                    .orElseGet(() -> recordedKafkaAddress(registry, brokerId));
            replicas = new ReplicaManager(topics.replicas(), topics.administration(), metadata.leadershipStore(),
                    config.replication(), session, clusterMetrics, clock, scheduler, kafkaAddresses);
            logs.setCorruptionListener(replicas);
            forwarder = new ProduceForwarder(identity.brokerId(), kafkaAddresses::apply,
                    config.replication().login());
            LeaderAppends appends = new LeaderAppends(topics.replicas(), replicas);
            RecordWriter writer = new RecordWriter(topics.metadata(), clock, appends, forwarder, WRITE_COMMIT_TIMEOUT);
            Transactions transactions = Transactions.open(transactionDir(config.dataDir()), topics.replicas(), appends,
                    writer, clock, WRITE_COMMIT_TIMEOUT);
            GroupCoordinator groups = GroupCoordinator.open(metadata.offsetStore(identity.brokerId()),
                    metadata.transactionalOffsetStore(), metadata.consumerGroupStore(clock), topics.metadata(),
                    config.groups(), scheduler, clock);
            scrubber = new LogScrubber(config.scrub(), logs::openLogs, metrics.logIntegrity(), clock);
            Broker broker = new Broker(config, clock, metadata, logs, identity, topics, session, clusterMetrics,
                    replicas, appends, forwarder, membership, groups, writer, transactions, metrics, readiness,
                    scrubber, scheduler, owned);
            scrubber.start();
            readiness.started();
            LOG.info(() -> "Broker " + identity.brokerId() + " started in " + (System.nanoTime() - started) / 1_000_000
                    + " ms with " + topics.metadata().topicNames().size() + " topic(s): " + config);
            return broker;
        } catch (RuntimeException e) {
            readiness.failed(e);
            closeQuietly(scrubber, forwarder, replicas, session, metadata, logs);
            throw e;
        }
    }

    private static String recordedKafkaAddress(BrokerRegistry registry, int brokerId) {
        try {
            return registry.list().stream().filter(broker -> broker.id() == brokerId).findFirst()
                    .flatMap(RegisteredBroker::kafkaAddress).orElse(null);
        } catch (RuntimeException unreachable) {
            return null; // the fetcher retries after its backoff
        }
    }

    static Path logDir(Path dataDir) {
        return dataDir.resolve("logs");
    }

    static Path transactionDir(Path dataDir) {
        return dataDir.resolve("transactions");
    }

    /** The topics and the leadership of their partitions, read-only. */
    public TopicMetadata topicMetadata() {
        return topics.metadata();
    }

    /** Creates, deletes and reconfigures topics. */
    public TopicAdministration topicAdministration() {
        return topics.administration();
    }

    /** The logs of the replicas this broker holds. */
    public HostedReplicas hostedReplicas() {
        return topics.replicas();
    }

    public GroupCoordinator groups() {
        return groups;
    }

    public GroupAdmin groupAdmin() {
        return groupAdmin;
    }

    /** Which Kafka principal may do what (ACLs). */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** Who may use the REST API and the Kafka listener, with their SCRAM credentials. */
    public Users users() {
        return users;
    }

    /** Producer ids for idempotent producers, unique across restarts of this broker. */
    public ProducerIdManager producerIds() {
        return producerIds;
    }

    public RecordWriter writer() {
        return writer;
    }

    public RecordReader reader() {
        return reader;
    }

    /** Kafka transactions: the coordinator of the transactional ids placed on this broker. */
    public TransactionCoordinator transactionCoordinator() {
        return transactionCoordinator;
    }

    /** Writes transaction markers to partition leaders and group coordinators, here or on other brokers. */
    public TransactionMarkerWriter transactionMarkers() {
        return transactionMarkers;
    }

    /** A partition leader's and group coordinator's questions to transaction coordinators (KIP-890). */
    public TransactionVerifier transactionVerifier() {
        return transactionVerifier;
    }

    /** Prepared and committed transactions of the JCA adapter. */
    public Transactions transactions() {
        return transactions;
    }

    /** Throughput, request and fsync measurements, for the boundary to export. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** Liveness and readiness, with their reasons. */
    public BrokerReadiness readiness() {
        return readiness;
    }

    public BrokerConfig config() {
        return config;
    }

    /** This broker's id and its cluster's, from the data directory. */
    public BrokerIdentity identity() {
        return identity;
    }

    /**
     * Announces this broker to the others in {@code grid} (or, without one, runs alone) and records its addresses
     * in the metadata database; from then on the group coordinator serves only the groups placed on this broker
     * among the live ones. Call it once, after the listeners are up.
     *
     * @param kafkaAddress {@code host:port} Kafka clients are told; empty if the Kafka listener is disabled
     *
     * @throws dev.tributary.broker.cluster.ClusterConflictException if the grid has brokers this one cannot join,
     *                                                               e.g. because it uses the embedded database
     */
    public ClusterMembership joinCluster(Optional<DataGrid> grid, String kafkaAddress, Optional<String> httpUrl) {
        BrokerInfo self = new BrokerInfo(identity.brokerId(), identity.clusterId(), kafkaAddress, httpUrl,
                config.dbUrl().isEmpty());
        ClusterMembership gridMembership = grid.<ClusterMembership>map(g -> GridMembership.join(g, self))
                .orElseGet(() -> new StandaloneMembership(self));
        // The majority is counted in the grid's own view; clients, followers and group placement see the brokers
        // with live sessions as well (SessionAwareMembership).
        session.follow(gridMembership::view);
        ClusterMembership joined = grid.isPresent() ? new SessionAwareMembership(gridMembership, session)
                : gridMembership;
        try {
            brokerRegistry.recordAddresses(identity.brokerId(), kafkaAddress.isEmpty() ? null : kafkaAddress,
                    httpUrl.orElse(null), clock.instant());
        } catch (RuntimeException e) {
            joined.close();
            throw e;
        }
        membership.set(joined);
        topics.administration().liveBrokersFrom(() -> liveBrokers().brokers().stream().map(BrokerInfo::id).toList());
        Controller elector = new Controller(identity.brokerId(), leadershipStore, metadata.controllerStore(),
                topics.metadata(), topics.administration(), session,
                config.replication().brokerSessionTimeoutMs(), clusterMetrics);
        joined.addListener(view -> elector.viewChanged());
        // Grid events can be lost (a member merging back after a split restarts its grid services): the view is
        // checked against the grid every second as well, so it converges whatever events arrive.
        membershipRecheck = scheduler.scheduleWithFixedDelay(joined::recheck, MEMBERSHIP_RECHECK_MS,
                MEMBERSHIP_RECHECK_MS, TimeUnit.MILLISECONDS);
        controller = elector;
        elector.passNow(); // brokers may have left while this one was away
        groups.follow(joined, session);
        // Transactional ids that move here may have markers to finish: look now rather than at the next check.
        joined.addListener(view -> scheduler.execute(this::checkTransactionsQuietly));
        scheduler.execute(this::checkTransactionsQuietly);
        return joined;
    }

    /**
     * The live brokers as this broker's membership sees them now, this one included; none until
     * {@link #joinCluster} (plain-Java brokers that never join stay alone). Until it has joined, a broker knows of
     * no others and acts alone: it leads what it holds, its group coordinator serves every group, and its Kafka
     * layer, which alone knows the address it advertises, names itself.
     */
    public ClusterView liveBrokers() {
        return viewOf(membership.get());
    }

    private static ClusterView viewOf(ClusterMembership membership) {
        return membership == null ? new ClusterView(List.of()) : membership.view();
    }

    /** The one way records are written to the partitions this broker leads. */
    public LeaderAppends leaderAppends() {
        return appends;
    }

    /** This broker's part in replication: what it leads and follows, and the waits for in-sync replicas. */
    public ReplicaManager replicas() {
        return replicas;
    }

    /**
     * Moves leadership back to preferred replicas where they are alive and in sync (see
     * {@link Controller#electPreferredLeaders()}); only the controller runs it, fenced by its lease.
     *
     * @return how many partitions changed leader
     * @throws BrokerNotAvailableException before this broker joined the cluster (while it starts), or if it is not
     *                                     the controller (the message names the one that is)
     */
    public int electPreferredLeaders() {
        Controller current = controller;
        if (current == null)
            throw new BrokerNotAvailableException("Broker " + identity.brokerId()
                    + " has not joined the cluster yet; try again once it has started");
        return current.electPreferredLeaders();
    }

    /** This broker's session in the metadata database, and what it may do because of it. */
    public BrokerSession session() {
        return session;
    }

    /** Controller changes and leadership writes of this broker, for the boundary to export. */
    public ClusterMetrics clusterMetrics() {
        return clusterMetrics;
    }

    /** Whether this broker holds the controller lease now. */
    public boolean isController() {
        Controller current = controller;
        return current != null && current.isActive();
    }

    /**
     * Truncates this broker's replica of a partition to the last good batch below the corrupt one it holds, and puts
     * it back in service (see {@link ReplicaManager#truncateToLastGood}).
     *
     * @return what was cut; empty if the replica holds no known damage
     * @throws UnknownTopicOrPartitionException if the partition does not exist
     * @throws org.apache.kafka.common.errors.NotLeaderOrFollowerException if this broker holds no replica of it
     */
    public Optional<LastGoodTruncation> truncateToLastGood(String topic, int partition) {
        topics.metadata().leadership(topic, partition); // an unknown partition is told so, not "no replica"
        return replicas.truncateToLastGood(new TopicPartition(topic, partition));
    }

    /** The background checker of the logs' sealed segments; {@link LogScrubber#scrubAll()} runs a pass now. */
    public LogScrubber logScrubber() {
        return scrubber;
    }

    /** Reads what other brokers changed now rather than at the next periodic check. */
    public void refreshMetadata() {
        metadataRefresher.refreshIfChanged();
    }

    /** Registered brokers, which are alive and which is the controller, and the partitions by health. */
    public ClusterStatus clusterStatus() {
        ClusterView live = liveBrokers();
        List<TopicDescription> described = new ArrayList<>();
        for (String topic : topics.metadata().topicNames()) {
            try {
                described.add(topics.metadata().describe(topic));
            } catch (UnknownTopicOrPartitionException deletedMeanwhile) {
                // listed, then deleted before we described it: not a partition of the cluster any more
            }
        }
        return ClusterStatus.of(identity.clusterId(), brokerRegistry.list(), live,
                isController() ? Optional.of(identity.brokerId())
                        : session.snapshot().controller().map(ControllerLease::brokerId), PartitionCounts.of(described),
                topics.metadata().leadership());
    }

    private void checkTransactionsQuietly() {
        try {
            transactionCoordinator.checkTransactions();
        } catch (RuntimeException e) {
            LOG.warning(() -> "Checking the transactions this broker coordinates failed; the periodic check retries: "
                    + e);
        }
    }

    /** Retention and time-based flushes; the boundary calls this every {@link BrokerConfig#maintenanceIntervalMs()}. */
    public void runMaintenance() {
        logs.runMaintenance(clock.millis());
    }

    /**
     * Stops the group coordinator, flushes and closes every log cleanly (so the next start skips recovery), then
     * the metadata database.
     */
    @Override
    public void close() {
        readiness.stopped();
        ScheduledFuture<?> recheck = membershipRecheck;
        if (recheck != null)
            recheck.cancel(false);
        closeQuietly(scrubber, transactionCoordinator, transactionVerifier, transactionMarkers, controller,
                metadataRefresher, membership.get(), forwarder, replicas, groups, session, logs, metadata);
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        LOG.info("Broker stopped cleanly");
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception | LinkageError e) {
                // A LinkageError too: after tributary-jca.rar was redeployed, a class first loaded while closing can
                // fail to link (its libraries now come from another loader); the logs after it must close anyway,
                // or the data directory stays locked until the server restarts.
                LOG.warning(() -> "Error while closing " + resource + ": " + e);
            }
        }
    }
}
