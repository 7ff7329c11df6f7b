package dev.tributary.broker.log;

/**
 * An entry of the {@link OffsetIndex}: the batch that starts at byte {@code position} of its segment's data file
 * has its last offset at {@code offset}. A lookup for any offset {@code >= offset} may start scanning there.
 *
 * @param offset   absolute offset (not relative to the segment's base offset)
 * @param position byte position of a batch boundary in the segment's {@code .log} file
 */
public record OffsetPosition(long offset, int position) {
}
