package dev.tributary.broker.log;

import org.apache.kafka.common.TopicPartition;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link LogEndListener}s of one partition log. Registration and removal from any thread; {@link #tell} runs
 * on the appending thread after the write lock is released, and a listener that throws is logged and does not keep
 * the others from being told.
 */
final class LogEndListeners {
    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final CopyOnWriteArrayList<LogEndListener> listeners = new CopyOnWriteArrayList<>();

    /** Registering the same listener again has no effect. */
    void add(LogEndListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    void remove(LogEndListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener that the log of {@code tp} now ends at {@code logEndOffset}. */
    void tell(TopicPartition tp, long logEndOffset) {
        for (LogEndListener listener : listeners) {
            try {
                listener.onLogEnd(tp, logEndOffset);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Log end listener " + listener + " of partition " + tp + " failed", e);
            }
        }
    }
}
