-- Fencing (docs/cluster.md#fencing). Portable SQL: H2 and PostgreSQL. Every expiry is in milliseconds since the
-- epoch on the DATABASE's clock (written and compared in SQL), so the brokers' clocks never matter.
-- SESSION_EXPIRES_MS: each broker renews its session with a heartbeat; a broker whose session expired has fenced
-- itself (it stopped acknowledging acks=all writes before that moment), so the controller may replace it as leader.
ALTER TABLE TRIB_BROKER ADD COLUMN IF NOT EXISTS SESSION_EXPIRES_MS BIGINT DEFAULT 0 NOT NULL;
-- The controller lease: one row. Taking it over bumps EPOCH; every change the controller makes checks, in its own
-- transaction and under this row's lock, that it still holds the lease at its epoch and that the lease is unexpired.
CREATE TABLE IF NOT EXISTS TRIB_CONTROLLER (
    SINGLETON        SMALLINT NOT NULL PRIMARY KEY CHECK (SINGLETON = 1),
    BROKER_ID        INTEGER  NOT NULL,
    EPOCH            BIGINT   NOT NULL,
    LEASE_EXPIRES_MS BIGINT   NOT NULL
);
INSERT INTO TRIB_CONTROLLER (SINGLETON, BROKER_ID, EPOCH, LEASE_EXPIRES_MS)
    SELECT 1, -1, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM TRIB_CONTROLLER);
-- Who coordinates what (consumer groups, and any other coordinator kind): a broker claims a key by bumping its
-- EPOCH; its writes for that key check in the same transaction that it still holds the claim at that epoch.
CREATE TABLE IF NOT EXISTS TRIB_COORDINATOR (
    KIND            VARCHAR(32)  NOT NULL,
    COORDINATOR_KEY VARCHAR(255) NOT NULL,
    BROKER_ID       INTEGER      NOT NULL,
    EPOCH           BIGINT       NOT NULL,
    PRIMARY KEY (KIND, COORDINATOR_KEY)
);
-- Bumped by every claim, so that a coordinator that lost a key notices with the metadata poll's one cheap read.
ALTER TABLE TRIB_CLUSTER ADD COLUMN IF NOT EXISTS COORDINATOR_VERSION BIGINT DEFAULT 0 NOT NULL;
