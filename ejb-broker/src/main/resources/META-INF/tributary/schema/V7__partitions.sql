-- Replica assignment and leadership of every partition (dev.tributary.broker.replication.LeadershipStore).
-- Portable SQL: H2 and PostgreSQL. REPLICAS and ISR are comma-separated broker ids, preferred leader first.
-- PARTITION_EPOCH grows with every change: writers compare-and-set on it, so that of two brokers acting on the
-- same old state (a leader shrinking its ISR, the controller electing a new leader) only one succeeds.
-- LEADER_EPOCH grows with every leader change and fences the old leader's replication traffic.
CREATE TABLE IF NOT EXISTS TRIB_PARTITION (
    TOPIC_NAME      VARCHAR(249)  NOT NULL REFERENCES TRIB_TOPIC (NAME) ON DELETE CASCADE,
    PARTITION_INDEX INTEGER       NOT NULL,
    REPLICAS        VARCHAR(2000) NOT NULL,
    LEADER          INTEGER       NOT NULL,
    LEADER_EPOCH    INTEGER       NOT NULL,
    ISR             VARCHAR(2000) NOT NULL,
    PARTITION_EPOCH INTEGER       NOT NULL,
    PRIMARY KEY (TOPIC_NAME, PARTITION_INDEX)
);
-- Every change of topics or partitions bumps it in the same transaction, so that each broker notices with one
-- cheap read what another broker changed.
ALTER TABLE TRIB_CLUSTER ADD COLUMN IF NOT EXISTS METADATA_VERSION BIGINT DEFAULT 0 NOT NULL;
-- Producer ids of idempotent producers, reserved in blocks by every broker of the cluster: an id is never handed
-- out twice, whichever broker a producer asks.
ALTER TABLE TRIB_CLUSTER ADD COLUMN IF NOT EXISTS NEXT_PRODUCER_ID BIGINT DEFAULT 0 NOT NULL;
