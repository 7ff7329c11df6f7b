package dev.tributary.broker.log;

/**
 * An offset or time index file failed its sanity check. Indexes are derived data: the loader answers this by
 * rebuilding the index from the segment's data file, so this exception never leaves the package.
 */
final class CorruptIndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptIndexException(String message) {
        super(message);
    }
}
