package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecureDefaultsTest {

    private final SecureDefaults secure = new SecureDefaults(true);
    private final SecureDefaults insecure = new SecureDefaults(false);

    @Test
    void secureByDefaultMeansScramAndAcls() {
        assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-512"), secure.saslMechanisms(Optional.empty(), false));
        assertTrue(secure.aclsEnabled(Optional.empty()));
    }

    @Test
    void plainIsOfferedByDefaultOnlyOverTls() {
        assertEquals(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), secure.saslMechanisms(Optional.empty(), true));
    }

    @Test
    void insecureOpensBothAsKafkaDoes() {
        assertEquals(List.of(), insecure.saslMechanisms(Optional.empty(), false));
        assertFalse(insecure.aclsEnabled(Optional.empty()));
    }

    @Test
    void insecureSaysSoNamingBothDoors() {
        assertEquals(Optional.empty(), secure.openDoorsWarning());
        String warning = insecure.openDoorsWarning().orElseThrow();
        assertTrue(warning.contains("REST API") && warning.contains("Kafka listener"), warning);
    }

    @Test
    void whatTheOperatorSetWins() {
        assertEquals(List.of("PLAIN"), secure.saslMechanisms(Optional.of(List.of("PLAIN")), false));
        assertFalse(secure.aclsEnabled(Optional.of(false)));
        assertEquals(List.of("SCRAM-SHA-512"), insecure.saslMechanisms(Optional.of(List.of("SCRAM-SHA-512")), false));
        assertTrue(insecure.aclsEnabled(Optional.of(true)));
    }

    @Test
    void aListenerOthersCanReachWithoutTlsIsWarnedAbout() {
        assertEquals(Optional.empty(), SecureDefaults.exposureWarning("127.0.0.1", 9092, SecureDefaults.SCRAM, false));
        assertEquals(Optional.empty(), SecureDefaults.exposureWarning("localhost", 9092, List.of(), false));
        assertEquals(Optional.empty(), SecureDefaults.exposureWarning("0.0.0.0", 9092, SecureDefaults.SCRAM, true));
        String sasl = SecureDefaults.exposureWarning("0.0.0.0", 9092, SecureDefaults.SCRAM, false).orElseThrow();
        assertTrue(sasl.contains("clear text") && sasl.contains("PLAIN sends the password"), sasl);
        String open = SecureDefaults.exposureWarning("0.0.0.0", 9092, List.of(), false).orElseThrow();
        assertTrue(open.contains("without a password"), open);
    }
}
