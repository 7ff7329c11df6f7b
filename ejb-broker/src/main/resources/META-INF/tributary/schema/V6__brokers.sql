-- Broker identities (dev.tributary.broker.cluster.BrokerRegistry). Portable SQL: H2 and PostgreSQL.
-- TRIB_CLUSTER holds one row: the id of the cluster this database belongs to, created by the first broker that
-- starts on it; a data directory remembers it in meta.properties and is refused by a database of another cluster.
-- TRIB_BROKER: every broker ever registered, with the addresses it last announced. Ids are allocated as
-- MAX(ID) + 1; the primary key makes two brokers racing for the same id collide, and the loser retries.
CREATE TABLE IF NOT EXISTS TRIB_CLUSTER (
    SINGLETON     SMALLINT     NOT NULL PRIMARY KEY CHECK (SINGLETON = 1),
    CLUSTER_ID    VARCHAR(64)  NOT NULL,
    CREATED_AT_MS BIGINT       NOT NULL
);
CREATE TABLE IF NOT EXISTS TRIB_BROKER (
    ID               INTEGER       NOT NULL PRIMARY KEY,
    REGISTERED_AT_MS BIGINT        NOT NULL,
    KAFKA_ADDRESS    VARCHAR(300),
    HTTP_URL         VARCHAR(1000),
    LAST_SEEN_MS     BIGINT
);
