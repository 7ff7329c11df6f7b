package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users in the metadata database: salted SCRAM credentials only, checked without ever storing the password. */
class UsersTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dataDir;

    @Test
    void aSavedUserAuthenticatesWithItsPasswordOnlyAndSurvivesAReopen() {
        try (MetadataDatabase db = open()) {
            new Users(db.userStore()).save("alice", PASSWORD, Set.of("tributary-producer"));
        }
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            assertEquals(Set.of("tributary-producer"), users.authenticate("alice", PASSWORD.toCharArray())
                    .orElseThrow().roles());
            assertEquals(Optional.empty(), users.authenticate("alice", "correct horse battery!".toCharArray()));
            assertEquals(Optional.empty(), users.authenticate("bob", PASSWORD.toCharArray()));
        }
    }

    @Test
    void whatIsStoredIsASaltedCredentialPerMechanismNeverThePassword() {
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            User alice = users.save("alice", PASSWORD, Set.of());
            User again = users.save("alice", PASSWORD, Set.of("tributary-admin"));
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                String stored = Users.encode(alice.credential(mechanism));
                assertFalse(stored.contains(PASSWORD));
                assertEquals(Users.ITERATIONS, alice.credential(mechanism).iterations());
                assertFalse(stored.equals(Users.encode(again.credential(mechanism))), "a fresh salt each time");
            }
            assertFalse(alice.toString().contains(Users.encode(alice.credential(ScramMechanism.SCRAM_SHA_256))));
            assertEquals(Set.of("tributary-admin"), users.find("alice").orElseThrow().roles(), "replaced");
            assertTrue(users.delete("alice"));
            assertEquals(Optional.empty(), users.find("alice"));
        }
    }

    /** Verified passwords are remembered (HTTP Basic sends one per request), but never past a change. */
    @Test
    void aChangedOrDeletedUserIsCheckedAgainAtOnce() {
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            users.save("alice", PASSWORD, Set.of("tributary-producer"));
            assertTrue(users.authenticate("alice", PASSWORD.toCharArray()).isPresent());
            assertTrue(users.authenticate("alice", PASSWORD.toCharArray()).isPresent(), "remembered");
            assertEquals(Optional.empty(), users.authenticate("alice", "another password".toCharArray()));

            users.save("alice", "a new password", Set.of());
            assertEquals(Optional.empty(), users.authenticate("alice", PASSWORD.toCharArray()));
            assertEquals(Set.of(), users.authenticate("alice", "a new password".toCharArray()).orElseThrow().roles());
            users.delete("alice");
            assertEquals(Optional.empty(), users.authenticate("alice", "a new password".toCharArray()));
        }
    }

    @Test
    void badNamesAndShortPasswordsAreRefusedWithoutEchoingThePassword() {
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            IllegalArgumentException shortPassword = assertThrows(IllegalArgumentException.class,
                    () -> users.save("alice", "seven77", Set.of()));
            assertFalse(shortPassword.getMessage().contains("seven77"));
            assertThrows(IllegalArgumentException.class, () -> users.save("a b", PASSWORD, Set.of()));
            assertThrows(IllegalArgumentException.class, () -> users.save("alice", PASSWORD, Set.of("x,y")));
        }
    }

    private MetadataDatabase open() {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
