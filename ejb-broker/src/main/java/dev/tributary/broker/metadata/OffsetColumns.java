package dev.tributary.broker.metadata;

import dev.tributary.broker.group.CommittedOffset;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * The columns of one committed offset, shared by the rows that hold one: {@code TRIB_COMMITTED_OFFSET} and the
 * pending offsets of transactions, {@code TRIB_PENDING_TXN_OFFSET}.
 */
@Embeddable
public class OffsetColumns {

    @Column(name = "COMMITTED_OFFSET", nullable = false)
    private long offset;

    /** Null when the committing client did not know the leader epoch. */
    @Column(name = "LEADER_EPOCH")
    private Integer leaderEpoch;

    @Column(name = "METADATA", length = 4096, nullable = false)
    private String metadata;

    @Column(name = "COMMIT_TIME_MS", nullable = false)
    private long commitTimeMillis;

    protected OffsetColumns() {
        // for JPA
    }

    static OffsetColumns from(CommittedOffset committed) {
        OffsetColumns columns = new OffsetColumns();
        columns.offset = committed.offset();
        columns.leaderEpoch = committed.leaderEpoch().isPresent() ? committed.leaderEpoch().getAsInt() : null;
        columns.metadata = committed.metadata();
        columns.commitTimeMillis = committed.committedAt().toEpochMilli();
        return columns;
    }

    CommittedOffset toCommittedOffset() {
        return new CommittedOffset(offset, leaderEpoch == null ? OptionalInt.empty() : OptionalInt.of(leaderEpoch),
                metadata, Instant.ofEpochMilli(commitTimeMillis));
    }
}
