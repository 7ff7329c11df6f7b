-- Kafka topic ids: a random 128-bit id per topic, kept as the two signed 64-bit halves of Kafka's Uuid
-- (dev.tributary.broker.metadata.TopicEntity). Portable SQL: H2 and PostgreSQL share no UUID generator, so each
-- existing topic gets a fresh id built from four 32-bit RANDOM() draws. The most significant half is kept
-- non-negative, which keeps the id's base64 form from starting with '-' (Kafka's own Uuid.randomUuid rule).
-- Idempotent: re-running fills only rows that have no id yet.
ALTER TABLE TRIB_TOPIC ADD COLUMN IF NOT EXISTS TOPIC_ID_MSB BIGINT;
ALTER TABLE TRIB_TOPIC ADD COLUMN IF NOT EXISTS TOPIC_ID_LSB BIGINT;
UPDATE TRIB_TOPIC SET
    TOPIC_ID_MSB = CAST(FLOOR(RANDOM() * 2147483648) AS BIGINT) * 4294967296
                   + CAST(FLOOR(RANDOM() * 4294967296) AS BIGINT),
    TOPIC_ID_LSB = (CAST(FLOOR(RANDOM() * 4294967296) AS BIGINT) - 2147483648) * 4294967296
                   + CAST(FLOOR(RANDOM() * 4294967296) AS BIGINT)
WHERE TOPIC_ID_MSB IS NULL OR TOPIC_ID_LSB IS NULL;
ALTER TABLE TRIB_TOPIC ALTER COLUMN TOPIC_ID_MSB SET NOT NULL;
ALTER TABLE TRIB_TOPIC ALTER COLUMN TOPIC_ID_LSB SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS TRIB_TOPIC_ID ON TRIB_TOPIC (TOPIC_ID_MSB, TOPIC_ID_LSB);
