package dev.tributary.broker.log;

/**
 * Where the {@link LogCleaner} stands with one partition that it is not simply leaving idle (Kafka's
 * {@code LogCleaningState}, with its "uncleanable partitions" as {@link Failed}). Immutable values; the
 * {@link LogCleanerManager} keeps one per partition and moves it on under its lock:
 *
 * <pre>
 *   (idle) --chosen--> InProgress --done--> (idle)
 *                          |  \--error--> Failed (until the broker restarts or the log is deleted)
 *                          |--abort------> Aborting(pause=false) --stopped--> (idle)
 *                          \--pause------> Aborting(pause=true)  --stopped--> Paused
 *   (idle) --pause--> Paused(1) --pause--> Paused(n+1);  Paused(1) --resume--> (idle)
 * </pre>
 */
sealed interface LogCleaningState {

    /** A cleaner thread is cleaning the partition. */
    record InProgress(long sinceMs) implements LogCleaningState {
    }

    /**
     * The cleaning was asked to stop and will at its next check: because the log was truncated ({@code pause}
     * false: it may be chosen again at once) or because its cleaning is being paused ({@code pause} true).
     */
    record Aborting(boolean pause, String reason) implements LogCleaningState {
    }

    /** Nothing cleans the partition until it is resumed as often as it was paused. */
    record Paused(int count, String reason) implements LogCleaningState {
    }

    /** A cleaning failed; the partition stays online, and is not cleaned again until the broker restarts. */
    record Failed(String reason, long atMs) implements LogCleaningState {
    }
}
