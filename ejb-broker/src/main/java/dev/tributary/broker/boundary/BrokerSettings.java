package dev.tributary.broker.boundary;

import dev.tributary.broker.group.ConsumerGroupConfig;
import dev.tributary.broker.group.GroupCoordinatorConfig;
import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.handlers.AutoTopicCreationConfig;
import dev.tributary.broker.log.CleanerConfig;
import dev.tributary.broker.kafka.security.QuotaConfig;
import dev.tributary.broker.kafka.security.TlsSettings;
import dev.tributary.broker.log.ScrubberConfig;
import dev.tributary.broker.replication.InterBrokerLogin;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.security.AclConfig;
import dev.tributary.broker.security.AdminAccount;
import dev.tributary.broker.security.SecureDefaults;
import dev.tributary.broker.server.BrokerConfig;
import dev.tributary.broker.txn.TransactionCoordinatorConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Reads the broker's configuration from MicroProfile Config, so every key can come from a system property
 * ({@code -Dtributary.data.dir=...}, what {@code bin/tributary} passes) or an environment variable
 * ({@code TRIBUTARY_DATA_DIR}, MicroProfile's mapping).
 */
final class BrokerSettings {

    static final String DATA_DIR = "tributary.data.dir";
    static final String DB_URL = "tributary.db.url";
    static final String DB_USER = "tributary.db.user";
    static final String DB_PASSWORD = "tributary.db.password";
    static final String MAINTENANCE_INTERVAL_MS = "tributary.maintenance.interval.ms";
    static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "tributary.group.initial.rebalance.delay.ms";
    /** The consumer group protocol (KIP-848), with Kafka's {@code group.consumer.*} names. */
    static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "tributary.group.consumer.session.timeout.ms";
    static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "tributary.group.consumer.heartbeat.interval.ms";
    static final String GROUP_CONSUMER_ASSIGNORS = "tributary.group.consumer.assignors";
    static final String GROUP_CONSUMER_MAX_SIZE = "tributary.group.consumer.max.size";
    static final String KAFKA_ENABLED = "tributary.kafka.enabled";
    static final String KAFKA_HOST = "tributary.kafka.host";
    static final String KAFKA_PORT = "tributary.kafka.port";
    static final String KAFKA_ADVERTISED_HOST = "tributary.kafka.advertised.host";
    static final String KAFKA_ADVERTISED_PORT = "tributary.kafka.advertised.port";
    static final String KAFKA_MAX_REQUEST_BYTES = "tributary.kafka.socket.request.max.bytes";
    static final String KAFKA_CONNECTIONS_MAX_IDLE_MS = "tributary.kafka.connections.max.idle.ms";
    static final String KAFKA_MAX_CONNECTIONS = "tributary.kafka.max.connections";
    static final String KAFKA_SASL_MECHANISMS = "tributary.kafka.sasl.enabled.mechanisms";
    static final String KAFKA_KEYSTORE = "tributary.kafka.ssl.keystore.location";
    static final String KAFKA_KEYSTORE_TYPE = "tributary.kafka.ssl.keystore.type";
    /** Environment TRIBUTARY_KAFKA_SSL_KEYSTORE_PASSWORD. */
    static final String KAFKA_KEYSTORE_PASSWORD = "tributary.kafka.ssl.keystore.password";
    static final String QUOTA_PRODUCER_BYTE_RATE = "tributary.quota.producer.byte.rate";
    static final String QUOTA_CONSUMER_BYTE_RATE = "tributary.quota.consumer.byte.rate";
    static final String AUTO_CREATE_TOPICS_ENABLE = "tributary.auto.create.topics.enable";
    static final String NUM_PARTITIONS = "tributary.num.partitions";
    static final String DEFAULT_REPLICATION_FACTOR = "tributary.default.replication.factor";
    static final String ACL_ENABLED = "tributary.acl.enabled";
    /**
     * Secure by default (true): the REST API wants a password, the Kafka listener SASL, and ACLs are on, unless
     * set otherwise one by one; false ({@code bin/tributary start --insecure}) opens every door. See
     * {@link SecureDefaults}.
     */
    static final String SECURITY_ENABLED = "tributary.security.enabled";
    /** Kafka's {@code replica.lag.time.max.ms}: how long a follower may lag before it leaves the ISR. */
    static final String REPLICA_LAG_TIME_MAX_MS = "tributary.replica.lag.time.max.ms";
    /**
     * Kafka's {@code broker.session.timeout.ms}: a broker whose heartbeats to the metadata database stop this long
     * loses its partitions' leadership (and fences itself three quarters of the way there).
     */
    static final String BROKER_SESSION_TIMEOUT_MS = "tributary.broker.session.timeout.ms";
    /** Kafka's {@code broker.heartbeat.interval.ms}: how often a broker renews its session. */
    static final String BROKER_HEARTBEAT_INTERVAL_MS = "tributary.broker.heartbeat.interval.ms";
    /** The broker user brokers log in as to each other's SASL listeners (SCRAM-SHA-512). */
    static final String INTERBROKER_USER = "tributary.interbroker.user";
    /** Environment TRIBUTARY_INTERBROKER_PASSWORD. */
    static final String INTERBROKER_PASSWORD = "tributary.interbroker.password";
    static final String ACL_SUPER_USERS = "tributary.acl.super.users";
    /** Kafka's {@code transaction.max.timeout.ms}: the longest {@code transaction.timeout.ms} a producer may ask for. */
    static final String TRANSACTION_MAX_TIMEOUT_MS = "tributary.transaction.max.timeout.ms";
    /** Kafka's {@code transactional.id.expiration.ms}: how long an unused transactional id is remembered. */
    static final String TRANSACTIONAL_ID_EXPIRATION_MS = "tributary.transactional.id.expiration.ms";
    /** The {@code transaction.version} feature level the broker finalizes: 2 (default) or 1. */
    static final String TRANSACTION_VERSION = "tributary.transaction.version";
    /** Kafka's {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}. */
    static final String TRANSACTION_ABORT_CHECK_INTERVAL_MS =
            "tributary.transaction.abort.timed.out.transaction.cleanup.interval.ms";
    /**
     * The base URL of this broker's REST API as other brokers and tools reach it ({@code http://host:port/});
     * {@code bin/tributary} sets it from {@code --host} and {@code --http-port}. Only announced, never bound.
     */
    static final String HTTP_URL = "tributary.http.url";
    /** Creates (or resets) the user {@code admin} with every role at start; environment TRIBUTARY_ADMIN_PASSWORD. */
    static final String ADMIN_PASSWORD = "tributary.admin.password";
    static final String METRICS_REFRESH_MS = "tributary.metrics.refresh.ms";
    /** Kafka's {@code log.cleaner.*} broker settings (see {@link CleanerConfig}). */
    static final String CLEANER_THREADS = "tributary.log.cleaner.threads";
    static final String CLEANER_DEDUPE_BUFFER_SIZE = "tributary.log.cleaner.dedupe.buffer.size";
    static final String CLEANER_IO_MAX_BYTES_PER_SECOND = "tributary.log.cleaner.io.max.bytes.per.second";
    static final String CLEANER_BACKOFF_MS = "tributary.log.cleaner.backoff.ms";
    /** The log scrubber: whether it runs, how fast it reads, how often a pass starts (see {@link ScrubberConfig}). */
    static final String SCRUB_ENABLED = "tributary.log.scrub.enabled";
    static final String SCRUB_BYTES_PER_SECOND = "tributary.log.scrub.bytes.per.second";
    static final String SCRUB_INTERVAL_MS = "tributary.log.scrub.interval.ms";
    /** Kafka's {@code num.recovery.threads.per.data.dir}: partition logs opened (and recovered) at once at start. */
    static final String RECOVERY_THREADS = "tributary.num.recovery.threads.per.data.dir";
    static final long DEFAULT_METRICS_REFRESH_MS = 5_000;

    private BrokerSettings() {
    }

    static BrokerConfig from(Config config) {
        return new BrokerConfig(
                Path.of(value(config, DATA_DIR, String.class).orElse("data")),
                value(config, DB_URL, String.class),
                value(config, DB_USER, String.class),
                value(config, DB_PASSWORD, String.class),
                value(config, MAINTENANCE_INTERVAL_MS, Long.class)
                        .orElse(BrokerConfig.DEFAULT_MAINTENANCE_INTERVAL_MS),
                groups(config),
                acls(config),
                replication(config),
                cleaner(config),
                scrub(config),
                transactions(config),
                recoveryThreads(config));
    }

    /** @throws IllegalArgumentException naming the setting if the value is below 1 */
    private static int recoveryThreads(Config config) {
        int threads = value(config, RECOVERY_THREADS, Integer.class).orElse(BrokerConfig.DEFAULT_RECOVERY_THREADS);
        if (threads < 1)
            throw new IllegalArgumentException(RECOVERY_THREADS + " must be at least 1, not " + threads);
        return threads;
    }

    /** @throws IllegalArgumentException naming the setting if a value is out of Kafka's range */
    private static CleanerConfig cleaner(Config config) {
        CleanerConfig defaults = CleanerConfig.defaults();
        return new CleanerConfig(
                value(config, CLEANER_THREADS, Integer.class).orElse(defaults.threads()),
                value(config, CLEANER_DEDUPE_BUFFER_SIZE, Long.class).orElse(defaults.dedupeBufferSize()),
                value(config, CLEANER_IO_MAX_BYTES_PER_SECOND, Double.class)
                        .orElse(defaults.ioMaxBytesPerSecond()),
                value(config, CLEANER_BACKOFF_MS, Long.class).orElse(defaults.backoffMs()));
    }

    /** @throws IllegalArgumentException naming the setting whose value is out of range */
    private static ScrubberConfig scrub(Config config) {
        ScrubberConfig defaults = ScrubberConfig.defaults();
        long bytesPerSecond = value(config, SCRUB_BYTES_PER_SECOND, Long.class)
                .orElse(defaults.bytesPerSecond());
        long intervalMs = value(config, SCRUB_INTERVAL_MS, Long.class).orElse(defaults.intervalMs());
        if (bytesPerSecond < 1)
            throw new IllegalArgumentException(SCRUB_BYTES_PER_SECOND + " must be at least 1, not " + bytesPerSecond);
        if (intervalMs < 1)
            throw new IllegalArgumentException(SCRUB_INTERVAL_MS + " must be at least 1, not " + intervalMs);
        return new ScrubberConfig(value(config, SCRUB_ENABLED, Boolean.class).orElse(defaults.enabled()),
                bytesPerSecond, intervalMs);
    }

    private static TransactionCoordinatorConfig transactions(Config config) {
        TransactionCoordinatorConfig defaults = TransactionCoordinatorConfig.defaults();
        return defaults.withMaxTimeoutMs(value(config, TRANSACTION_MAX_TIMEOUT_MS, Integer.class)
                        .orElse(defaults.maxTimeoutMs()))
                .withIdExpirationMs(value(config, TRANSACTIONAL_ID_EXPIRATION_MS, Long.class)
                        .orElse(defaults.idExpirationMs()))
                .withAbortCheckIntervalMs(value(config, TRANSACTION_ABORT_CHECK_INTERVAL_MS, Long.class)
                        .orElse(defaults.abortCheckIntervalMs()))
                .withTransactionVersion(value(config, TRANSACTION_VERSION, Short.class)
                        .orElse(defaults.transactionVersion()));
    }

    /**
     * The inter-broker login: the one configured, else (when secure) {@code admin} with the password configured for
     * it, which every broker of a cluster is then given.
     */
    private static ReplicationConfig replication(Config config) {
        ReplicationConfig defaults = ReplicationConfig.defaults();
        Optional<InterBrokerLogin> login = InterBrokerLogin.of(value(config, INTERBROKER_USER, String.class),
                value(config, INTERBROKER_PASSWORD, String.class));
        if (login.isEmpty() && secureDefaults(config).enabled())
            login = adminPassword(config).map(password -> new InterBrokerLogin(AdminAccount.NAME, password));
        return defaults.withReplicaLagTimeMaxMs(value(config, REPLICA_LAG_TIME_MAX_MS, Long.class)
                        .orElse(defaults.replicaLagTimeMaxMs()))
                .withBrokerSession(value(config, BROKER_SESSION_TIMEOUT_MS, Long.class)
                                .orElse(defaults.brokerSessionTimeoutMs()),
                        value(config, BROKER_HEARTBEAT_INTERVAL_MS, Long.class)
                                .orElse(defaults.brokerHeartbeatIntervalMs()))
                .withLogin(login);
    }

    static SecureDefaults secureDefaults(Config config) {
        return new SecureDefaults(value(config, SECURITY_ENABLED, Boolean.class).orElse(true));
    }

    private static AclConfig acls(Config config) {
        AclConfig defaults = AclConfig.disabled();
        return new AclConfig(secureDefaults(config).aclsEnabled(value(config, ACL_ENABLED, Boolean.class)),
                value(config, ACL_SUPER_USERS, String.class).map(BrokerSettings::commaSeparated)
                        .map(Set::copyOf).orElse(defaults.superUsers()));
    }

    private static GroupCoordinatorConfig groups(Config config) {
        GroupCoordinatorConfig defaults = GroupCoordinatorConfig.defaults();
        ConsumerGroupConfig consumer = defaults.consumer();
        return defaults.withInitialRebalanceDelayMs(value(config, GROUP_INITIAL_REBALANCE_DELAY_MS,
                        Integer.class).orElse(defaults.initialRebalanceDelayMs()))
                .withConsumer(consumer
                        .withTimeouts(value(config, GROUP_CONSUMER_SESSION_TIMEOUT_MS, Integer.class)
                                        .orElse(consumer.sessionTimeoutMs()),
                                value(config, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, Integer.class)
                                        .orElse(consumer.heartbeatIntervalMs()))
                        .withAssignors(value(config, GROUP_CONSUMER_ASSIGNORS, String.class)
                                .map(BrokerSettings::commaSeparated).orElse(consumer.assignors()))
                        .withMaxSize(value(config, GROUP_CONSUMER_MAX_SIZE, Integer.class)
                                .orElse(consumer.maxSize())));
    }

    /** How often the published metrics pick up new topics, groups and APIs (and recompute consumer lag). */
    static long metricsRefreshMs(Config config) {
        return value(config, METRICS_REFRESH_MS, Long.class).orElse(DEFAULT_METRICS_REFRESH_MS);
    }

    /** The Kafka-protocol listener: 127.0.0.1:9092 unless configured, like the HTTP listener; empty when disabled. */
    static Optional<KafkaListenerConfig> kafkaListener(Config config) {
        if (!value(config, KAFKA_ENABLED, Boolean.class).orElse(true)) {
            return Optional.empty();
        }
        KafkaListenerConfig listener = KafkaListenerConfig.of(
                        value(config, KAFKA_HOST, String.class).orElse("127.0.0.1"),
                        value(config, KAFKA_PORT, Integer.class).orElse(9092))
                .withMaxRequestBytes(value(config, KAFKA_MAX_REQUEST_BYTES, Integer.class)
                        .orElse(KafkaListenerConfig.DEFAULT_MAX_REQUEST_BYTES))
                .withConnectionsMaxIdleMs(value(config, KAFKA_CONNECTIONS_MAX_IDLE_MS, Long.class)
                        .orElse(KafkaListenerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS))
                .withMaxConnections(value(config, KAFKA_MAX_CONNECTIONS, Integer.class)
                        .orElse(KafkaListenerConfig.DEFAULT_MAX_CONNECTIONS))
                .withSaslMechanisms(secureDefaults(config).saslMechanisms(
                        value(config, KAFKA_SASL_MECHANISMS, String.class).map(BrokerSettings::commaSeparated),
                        value(config, KAFKA_KEYSTORE, String.class).isPresent()))
                .withTls(value(config, KAFKA_KEYSTORE, String.class).map(location -> new TlsSettings(
                        Path.of(location), value(config, KAFKA_KEYSTORE_TYPE, String.class).orElse("PKCS12"),
                        value(config, KAFKA_KEYSTORE_PASSWORD, String.class).orElse(""))).orElse(null))
                .withAutoTopicCreation(autoTopicCreation(config))
                .withQuotas(new QuotaConfig(
                        value(config, QUOTA_PRODUCER_BYTE_RATE, Long.class).orElse(Long.MAX_VALUE),
                        value(config, QUOTA_CONSUMER_BYTE_RATE, Long.class).orElse(Long.MAX_VALUE),
                        QuotaConfig.DEFAULT_WINDOW_MS));
        return Optional.of(listener.withAdvertised(
                value(config, KAFKA_ADVERTISED_HOST, String.class).orElse(null),
                value(config, KAFKA_ADVERTISED_PORT, Integer.class).orElse(0)));
    }

    static Optional<String> httpUrl(Config config) {
        return value(config, HTTP_URL, String.class).filter(url -> !url.isBlank());
    }

    static Optional<String> adminPassword(Config config) {
        return value(config, ADMIN_PASSWORD, String.class).filter(password -> !password.isBlank());
    }

    /**
     * The setting {@code key} converted to {@code type}, if set.
     *
     * @throws IllegalArgumentException naming the key and the value as set, if it does not convert (MicroProfile
     *                                  Config's own message may name neither)
     */
    private static AutoTopicCreationConfig autoTopicCreation(Config config) {
        AutoTopicCreationConfig defaults = AutoTopicCreationConfig.DEFAULTS;
        return new AutoTopicCreationConfig(
                value(config, AUTO_CREATE_TOPICS_ENABLE, Boolean.class).orElse(defaults.enabled()),
                value(config, NUM_PARTITIONS, Integer.class).orElse(defaults.numPartitions()),
                value(config, DEFAULT_REPLICATION_FACTOR, Short.class).orElse(defaults.defaultReplicationFactor()));
    }

    static <T> Optional<T> value(Config config, String key, Class<T> type) {
        try {
            return config.getOptionalValue(key, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid setting " + key + "=" + config.getConfigValue(key).getValue()
                    + ": not " + article(type.getSimpleName()) + " " + type.getSimpleName(), e);
        }
    }

    private static String article(String word) {
        return "AEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static List<String> commaSeparated(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
}
