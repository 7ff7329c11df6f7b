package dev.tributary.jca.inbound;

import dev.tributary.jca.api.ConsumedRecord;
import dev.tributary.jca.api.RecordListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one record to a fresh endpoint of the bean, in the bean's transaction if it is transacted.
 */
final class RecordDelivery {

    private static final Logger LOG = Logger.getLogger(RecordDelivery.class.getName());
    /** How long {@code createEndpoint} may wait for a free bean instance. */
    private static final long ENDPOINT_TIMEOUT_MS = 30_000;
    static final Method ON_RECORD;

    static {
        try {
            ON_RECORD = RecordListener.class.getMethod("onRecord", ConsumedRecord.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The outcome of one delivery: success, or the failure the record will be retried or dead-lettered for. */
    record Outcome(Throwable failure) {
        static final Outcome SUCCESS = new Outcome(null);

        boolean succeeded() {
            return failure == null;
        }
    }

    private final MessageEndpointFactory factory;
    private final boolean transacted;

    RecordDelivery(MessageEndpointFactory factory) throws NoSuchMethodException {
        this.factory = factory;
        this.transacted = factory.isDeliveryTransacted(ON_RECORD);
    }

    /**
     * Whether the application can take deliveries yet: a container answers {@code createEndpoint} with
     * {@link UnavailableException} until the application has finished deploying.
     */
    boolean endpointAvailable() {
        return endpointAvailable(factory);
    }

    /** As {@link #endpointAvailable()}: whether the application behind {@code factory} runs and takes deliveries. */
    static boolean endpointAvailable(MessageEndpointFactory factory) {
        try {
            factory.createEndpoint(null, ENDPOINT_TIMEOUT_MS).release();
            return true;
        } catch (ResourceException notYet) {
            LOG.log(Level.FINE, "The endpoint is not available yet", notYet);
            return false;
        } catch (RuntimeException undeployed) {
            LOG.log(Level.FINE, "The endpoint is not available", undeployed);
            return false;
        }
    }

    Outcome deliver(ConsumedRecord record) {
        DeliveryTransaction transaction = transacted ? new DeliveryTransaction() : null;
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(transaction, ENDPOINT_TIMEOUT_MS);
        } catch (UnavailableException e) {
            return new Outcome(e);
        }
        try {
            ((RecordListener) endpoint).onRecord(record);
        } catch (Exception e) {
            // The bean's exception (a container-managed transaction was rolled back), as the container reports it.
            return new Outcome(rootCause(e));
        } finally {
            endpoint.release();
        }
        if (transaction != null && !transaction.committed()) {
            return new Outcome(new IllegalStateException("The transaction delivering " + record + " rolled back"));
        }
        return Outcome.SUCCESS;
    }

    /** Containers wrap the bean's exception (EJBException, ...): the dead-letter header names the bean's own. */
    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
