package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.metadata.MetadataDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first administrator: generated once into an owner-only file, or the operator's password at every start. */
class AdminAccountTest {

    @TempDir
    Path dataDir;

    @Test
    void aBrokerWithoutUsersGetsAnAdminWhosePasswordOnlyItsOwnerCanRead() throws Exception {
        Path file = dataDir.resolve("admin-password");
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            assertEquals(Optional.of(file), AdminAccount.ensure(users, Optional.empty(), file));
            String password = Files.readString(file).strip();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(AdminAccount.ROLES, users.authenticate("admin", password.toCharArray()).orElseThrow()
                    .roles());

            assertEquals(Optional.empty(), AdminAccount.ensure(users, Optional.empty(), file),
                    "users exist: nothing generated again");
            assertEquals(password, Files.readString(file).strip());
        }
    }

    @Test
    void aConfiguredPasswordIsSetAtEveryStartAndNothingIsWritten() {
        Path file = dataDir.resolve("admin-password");
        try (MetadataDatabase db = open()) {
            Users users = new Users(db.userStore());
            AdminAccount.ensure(users, Optional.of("first-password"), file);
            AdminAccount.ensure(users, Optional.of("second-password"), file);
            assertTrue(users.authenticate("admin", "second-password".toCharArray()).isPresent());
            assertTrue(users.authenticate("admin", "first-password".toCharArray()).isEmpty());
            assertTrue(Files.notExists(file));
        }
    }

    private MetadataDatabase open() {
        return MetadataDatabase.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
