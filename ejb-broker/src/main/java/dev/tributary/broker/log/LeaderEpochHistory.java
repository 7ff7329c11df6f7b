package dev.tributary.broker.log;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which leader epoch appended which offsets of one log (Kafka's {@code LeaderEpochFileCache}): entries
 * {@code (epoch, startOffset)} with increasing epochs and start offsets, each epoch running up to the next entry's
 * start offset, the last one up to the log end. Followers ask for the end of an epoch to find where their log
 * diverges from the leader's.
 *
 * <p>A log that no replication layer ever gave an epoch (a single broker) has no entries; it is then taken to have
 * been at epoch 0 from its start offset on, and its batches are stamped with epoch 0. The first real change
 * writes that implied entry down if the log holds records, so their epoch is not lost.
 *
 * <p>Persisted in {@code leader-epoch-checkpoint} ({@link LeaderEpochCheckpoint}) whenever an epoch is added, before
 * records of that epoch are appended, so the file never lacks an epoch the segments hold; it may hold entries beyond
 * the log end after a crash, which the loader drops.
 *
 * <p>Concurrency: mutated only under the owning log's write lock (or by the loader); readers read an immutable
 * snapshot of the entries without locking.
 */
final class LeaderEpochHistory {
    /** The epoch a log that was never given one is at. */
    static final int IMPLIED_EPOCH = 0;

    private final Path dir;
    private volatile List<EpochEntry> entries;

    LeaderEpochHistory(Path dir, List<EpochEntry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    /** The recorded entries, oldest first; empty if the log was never given an epoch. */
    List<EpochEntry> entries() {
        return entries;
    }

    /** The entries with the implied {@code (0, logStartOffset)} standing in for an empty history. */
    private List<EpochEntry> effectiveEntries(long logStartOffset) {
        List<EpochEntry> snapshot = entries;
        return snapshot.isEmpty() ? List.of(new EpochEntry(IMPLIED_EPOCH, logStartOffset)) : snapshot;
    }

    /** The epoch appended records get: the latest recorded one, or the implied epoch 0. */
    int latestEpoch() {
        List<EpochEntry> snapshot = entries;
        return snapshot.isEmpty() ? IMPLIED_EPOCH : snapshot.get(snapshot.size() - 1).epoch();
    }

    /**
     * Kafka's {@code endOffsetFor}: for the latest epoch, the log end offset; for an older one, the largest epoch at
     * or below it and the start offset of the first epoch above it (for one older than every epoch, itself and the
     * first epoch's start offset); for -1 or an epoch newer than any, {@link EpochEndOffset#UNDEFINED}.
     */
    EpochEndOffset endOffsetFor(int requested, long logStartOffset, long logEndOffset) {
        if (requested == OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH)
            return EpochEndOffset.UNDEFINED;
        List<EpochEntry> snapshot = effectiveEntries(logStartOffset);
        if (requested == snapshot.get(snapshot.size() - 1).epoch())
            return new EpochEndOffset(requested, logEndOffset);
        EpochEntry floor = null;
        for (EpochEntry entry : snapshot) {
            if (entry.epoch() > requested)
                return new EpochEndOffset(floor == null ? requested : floor.epoch(), entry.startOffset());
            floor = entry;
        }
        return EpochEndOffset.UNDEFINED;
    }

    /**
     * Starts every epoch of replicated batches newer than the latest at its first batch, and writes the history if
     * that changed it: before the batches are appended, so the checkpoint never lacks an epoch the files hold.
     */
    void recordNewerEpochsOf(MemoryRecords records, long logStartOffset, long logEndOffset) throws IOException {
        boolean changed = false;
        for (RecordBatch batch : records.batches()) {
            int epoch = batch.partitionLeaderEpoch();
            if (epoch >= 0 && epoch > latestEpoch())
                changed |= assign(epoch, batch.baseOffset(), logStartOffset, logEndOffset);
        }
        if (changed)
            write();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} (Kafka's {@code assign}): entries that would
     * contradict it, with an epoch at or above it or a start offset at or after it, are dropped first. An empty
     * history of a log holding records first gets its implied {@code (0, logStartOffset)}. Does not write the file.
     *
     * @return whether the entries changed
     */
    boolean assign(int epoch, long startOffset, long logStartOffset, long logEndOffset) {
        EpochEntry added = new EpochEntry(epoch, startOffset);
        List<EpochEntry> next = new ArrayList<>(entries);
        if (next.isEmpty() && logEndOffset > logStartOffset)
            next.add(new EpochEntry(IMPLIED_EPOCH, logStartOffset));
        EpochEntry last = next.isEmpty() ? null : next.get(next.size() - 1);
        if (last != null && last.epoch() == epoch && last.startOffset() <= startOffset) {
            if (next.size() == entries.size())
                return false;
            entries = List.copyOf(next);
            return true;
        }
        next.removeIf(e -> e.epoch() >= epoch || e.startOffset() >= startOffset);
        next.add(added);
        entries = List.copyOf(next);
        return true;
    }

    /**
     * Drops the entries starting at or after {@code endOffset}: the log was truncated there (Kafka's
     * {@code truncateFromEnd}).
     *
     * @return whether the entries changed
     */
    boolean truncateFromEnd(long endOffset) {
        return replaceWith(entries.stream().filter(e -> e.startOffset() < endOffset).toList());
    }

    /**
     * The log now starts at {@code startOffset} (Kafka's {@code truncateFromStart}): entries of epochs that ended
     * at or before it are dropped and the epoch it falls in starts there.
     *
     * @return whether the entries changed
     */
    boolean truncateFromStart(long startOffset) {
        List<EpochEntry> next = new ArrayList<>();
        EpochEntry covering = null;
        for (EpochEntry entry : entries) {
            if (entry.startOffset() <= startOffset)
                covering = entry;
            else
                next.add(entry);
        }
        if (covering != null)
            next.add(0, new EpochEntry(covering.epoch(), startOffset));
        return replaceWith(next);
    }

    /** Forgets every entry: the log was emptied and starts over. */
    boolean clear() {
        return replaceWith(List.of());
    }

    /** Writes the entries to {@code leader-epoch-checkpoint}, replacing it atomically. */
    void write() throws IOException {
        LeaderEpochCheckpoint.write(dir, entries);
    }

    private boolean replaceWith(List<EpochEntry> next) {
        if (next.equals(entries))
            return false;
        entries = List.copyOf(next);
        return true;
    }

    @Override
    public String toString() {
        return "LeaderEpochHistory" + entries;
    }
}
