-- Kafka transactions (dev.tributary.broker.txn.TransactionStateStore): one row per
-- transactional id. Portable SQL: H2 and PostgreSQL. ROW_VERSION grows with every change; coordinators
-- compare-and-set on it, so that two brokers can never both act for one id, and markers carry it as their
-- coordinator epoch. PARTITIONS is "topic:partition" separated by newlines, GROUPS group ids separated by newlines.
CREATE TABLE IF NOT EXISTS TRIB_TRANSACTION (
    TRANSACTIONAL_ID    VARCHAR(1024)    NOT NULL PRIMARY KEY,
    PRODUCER_ID         BIGINT           NOT NULL,
    PRODUCER_EPOCH      INTEGER          NOT NULL,
    LAST_PRODUCER_EPOCH INTEGER          NOT NULL,
    NEXT_PRODUCER_ID    BIGINT           NOT NULL,
    TIMEOUT_MS          INTEGER          NOT NULL,
    STATE               VARCHAR(32)      NOT NULL,
    PARTITIONS          VARCHAR(1000000) NOT NULL,
    GROUPS_JOINED       VARCHAR(1000000) NOT NULL,
    START_TIME_MS       BIGINT           NOT NULL,
    LAST_UPDATE_MS      BIGINT           NOT NULL,
    TXN_VERSION         INTEGER          NOT NULL,
    ROW_VERSION         BIGINT           NOT NULL
);
-- Offsets a transactional producer committed for a group (TxnOffsetCommit): invisible to OffsetFetch until the
-- transaction commits, when they move to TRIB_COMMITTED_OFFSET in one database transaction; dropped if it aborts.
CREATE TABLE IF NOT EXISTS TRIB_PENDING_TXN_OFFSET (
    GROUP_ID         VARCHAR(255)  NOT NULL,
    PRODUCER_ID      BIGINT        NOT NULL,
    TOPIC            VARCHAR(249)  NOT NULL,
    PARTITION_ID     INTEGER       NOT NULL,
    COMMITTED_OFFSET BIGINT        NOT NULL,
    LEADER_EPOCH     INTEGER,
    METADATA         VARCHAR(4096) NOT NULL,
    COMMIT_TIME_MS   BIGINT        NOT NULL,
    PRIMARY KEY (GROUP_ID, PRODUCER_ID, TOPIC, PARTITION_ID)
);
