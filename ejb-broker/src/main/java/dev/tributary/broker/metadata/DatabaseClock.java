package dev.tributary.broker.metadata;

/**
 * The database's clock in SQL, portable between H2 and PostgreSQL: milliseconds since the epoch at the start of the
 * statement's transaction. Leases and sessions are written and compared with it, never with a broker's clock.
 */
final class DatabaseClock {

    /** An SQL expression: the database's now, in epoch milliseconds. */
    static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private DatabaseClock() {
    }
}
