-- Consumer groups of the consumer group protocol, KIP-848 (dev.tributary.broker.group.ConsumerGroupStore). Portable
-- SQL: H2 and PostgreSQL. One row per group with members: its members, epochs and assignments in one binary
-- snapshot (ConsumerGroupSnapshotCodec), written whole on every change. VERSION counts the writes: a write names the
-- version it replaces, so that of two brokers that both think they coordinate the group only one can change it.
-- GROUP_EPOCH and MEMBERS repeat what the snapshot says, for people reading the table.
CREATE TABLE IF NOT EXISTS TRIB_CONSUMER_GROUP (
    GROUP_ID      VARCHAR(255) NOT NULL PRIMARY KEY,
    VERSION       BIGINT       NOT NULL,
    GROUP_EPOCH   INTEGER      NOT NULL,
    MEMBERS       INTEGER      NOT NULL,
    SNAPSHOT      BYTEA        NOT NULL,
    UPDATED_AT_MS BIGINT       NOT NULL
);
