-- Committed offsets of consumer groups (dev.tributary.broker.group.OffsetStore). Portable SQL: H2 and PostgreSQL.
-- No foreign key to TRIB_TOPIC: Kafka lets a group keep offsets of a topic that was deleted (until they expire),
-- and a commit must not wait on the topic row's lock.
CREATE TABLE IF NOT EXISTS TRIB_COMMITTED_OFFSET (
    GROUP_ID         VARCHAR(255)  NOT NULL,
    TOPIC            VARCHAR(249)  NOT NULL,
    PARTITION_ID     INTEGER       NOT NULL,
    COMMITTED_OFFSET BIGINT        NOT NULL,
    LEADER_EPOCH     INTEGER,
    METADATA         VARCHAR(4096) NOT NULL,
    COMMIT_TIME_MS   BIGINT        NOT NULL,
    PRIMARY KEY (GROUP_ID, TOPIC, PARTITION_ID)
);
