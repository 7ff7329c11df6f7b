package dev.tributary.broker.log;

import java.io.IOException;

/**
 * Told of each step of a cleaning that changes files: the compacted segment written and then each rename and fsync
 * of {@link LocalLog#replaceSegments}. Production uses {@link #NONE}; tests throw from a step to cut the cleaning
 * there, as a crash would, and check that the log recovers to the same records.
 */
@FunctionalInterface
interface CleaningSteps {
    CleaningSteps NONE = step -> { };

    /**
     * The cleaning has just done {@code step} (a description naming the file) and is about to do the next.
     *
     * @throws IOException to make the cleaning fail here
     */
    void done(String step) throws IOException;
}
