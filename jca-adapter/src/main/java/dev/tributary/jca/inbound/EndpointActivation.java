package dev.tributary.jca.inbound;

import dev.tributary.jca.spi.GroupSession;
import dev.tributary.jca.spi.GroupSubscription;
import dev.tributary.jca.spi.BrokerGateway;
import dev.tributary.jca.spi.PartitionId;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One message-driven bean's membership in its consumer group, run as one long-lived Work on the adapter's
 * WorkManager: it waits until the broker runs and the application can take deliveries, joins the group, hands the
 * assigned partitions to {@link PartitionWorkers}, heartbeats, and on a rebalance stops the workers (waiting for
 * records in delivery) before rejoining. {@link #stop} leaves the group at once, so the group rebalances without
 * waiting for a session timeout; a later activation resumes from the committed offsets.
 */
public final class EndpointActivation implements Work {

    private static final Logger LOG = Logger.getLogger(EndpointActivation.class.getName());
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long a rebalance or undeploy waits for records in delivery. */
    private static final Duration DELIVERY_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long RETRY_MS = 1000;

    private final MessageEndpointFactory factory;
    private final ActivationConfig config;
    private final WorkManager workManager;
    private final BrokerLookup brokers;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch exited = new CountDownLatch(1);

    public EndpointActivation(MessageEndpointFactory factory, TributaryActivationSpec spec, WorkManager workManager,
                              BrokerLookup brokers) throws ResourceException {
        this.factory = factory;
        this.config = spec.config();
        this.workManager = workManager;
        this.brokers = brokers;
    }

    public void start() throws WorkException {
        workManager.scheduleWork(this);
    }

    /** Stops delivering and leaves the group; waits for the activation's Work to end. */
    public void stop() {
        stopped.countDown();
        try {
            if (!exited.await(DELIVERY_DRAIN_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "The activation of group " + config.groupId() + " did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Which bean this is, for an operator: its activation name (JCA 1.7, e.g. {@code app#module#Bean}) or endpoint
     * class, its group and topics.
     */
    public String describe() {
        String bean;
        try {
            bean = factory.getActivationName() != null ? factory.getActivationName()
                    : factory.getEndpointClass().getName();
        } catch (RuntimeException | LinkageError olderContainer) {
            bean = String.valueOf(factory);
        }
        return bean + " (group " + config.groupId() + ", topics " + String.join(",", config.topics()) + ")";
    }

    /** The bean whose deliveries this activation runs. */
    public MessageEndpointFactory factory() {
        return factory;
    }

    /** The container stops the work (server shutdown): same as {@link #stop}, without waiting. */
    @Override
    public void release() {
        stopped.countDown();
    }

    @Override
    public void run() {
        try {
            RecordDelivery delivery = new RecordDelivery(factory);
            while (!isStopped()) {
                BrokerGateway broker = brokers.await(Duration.ofMillis(RETRY_MS));
                if (broker == null || !delivery.endpointAvailable()) {
                    pause(RETRY_MS); // the broker or the application is still deploying
                    continue;
                }
                try {
                    participate(asConfiguredUser(broker), delivery); // a wrong password: retried like a failure
                } catch (RuntimeException | WorkException e) {
                    LOG.log(Level.WARNING, "Group member for " + config.groupId() + " failed; rejoining", e);
                    pause(RETRY_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NoSuchMethodException e) {
            LOG.log(Level.SEVERE, "The endpoint does not implement RecordListener.onRecord", e);
        } finally {
            exited.countDown();
        }
    }

    /** One membership: join, deliver, rejoin on rebalances; leave when stopped or on failure. */
    private void participate(BrokerGateway broker, RecordDelivery delivery) throws InterruptedException, WorkException {
        String clientId = "mdb-" + config.groupId();
        try (GroupSession session = broker.joinGroup(new GroupSubscription(config.groupId(), config.topics(),
                config.fromEarliest(), clientId, config.readCommitted()))) {
            while (!isStopped()) {
                Set<PartitionId> assigned = session.ensureActive(JOIN_TIMEOUT);
                LOG.info(() -> "Group " + config.groupId() + " assigned " + assigned + " to this bean");
                PartitionWorkers workers = new PartitionWorkers(config, session, broker, delivery,
                        session.startOffsets(assigned));
                workers.start(workManager);
                Runnable stopDeliveries = () -> stopUninterruptibly(workers);
                try {
                    while (!pause(session.heartbeatInterval().toMillis()) && !workers.lostGeneration()
                            && session.heartbeat(stopDeliveries)) {
                        // delivering
                    }
                } finally {
                    workers.stop(DELIVERY_DRAIN_TIMEOUT);
                }
            }
        }
    }

    private BrokerGateway asConfiguredUser(BrokerGateway broker) {
        if (config.credentials().isEmpty()) {
            return broker;
        }
        ActivationConfig.Credentials credentials = config.credentials().get();
        return broker.as(credentials.user(), credentials.password().toCharArray());
    }

    private static void stopUninterruptibly(PartitionWorkers workers) {
        try {
            workers.stop(DELIVERY_DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** @return whether the activation was stopped meanwhile */
    private boolean pause(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
