package dev.tributary.broker.log;

import java.io.IOException;

/**
 * {@link LocalLog#replaceSegments} failed before its commit (the rename of the new data file to {@code .swap}): the
 * new segment's files are removed and the log is exactly as it was, so it stays online. A full disk while the
 * cleaner seals its segment ends here.
 */
final class UncommittedReplacementException extends IOException {
    private static final long serialVersionUID = 1L;

    UncommittedReplacementException(String message, Throwable cause) {
        super(message, cause);
    }
}
