-- Users of the REST API and the Kafka listener (dev.tributary.broker.security.UserStore). Passwords are never
-- stored: only salted SCRAM credentials ("salt:storedKey:serverKey:iterations", Base64), one per mechanism.
CREATE TABLE IF NOT EXISTS TRIB_USER (
    NAME          VARCHAR(255)  NOT NULL PRIMARY KEY,
    ROLES         VARCHAR(1024) NOT NULL,
    SCRAM_SHA_256 VARCHAR(512)  NOT NULL,
    SCRAM_SHA_512 VARCHAR(512)  NOT NULL
);
