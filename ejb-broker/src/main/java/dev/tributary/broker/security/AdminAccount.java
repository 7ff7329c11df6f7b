package dev.tributary.broker.security;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The first administrator, so that a broker whose API refuses anonymous callers can be used at all: the user
 * {@value #NAME} with every role, either with the password the operator configured ({@code tributary.admin.password},
 * set again at each start) or, on a broker without any user yet, with a generated one written to a file only its
 * owner can read. The password itself is never logged.
 */
public final class AdminAccount {

    public static final String NAME = "admin";
    public static final Set<String> ROLES = Set.of("tributary-admin", "tributary-producer", "tributary-consumer");
    private static final Logger LOG = Logger.getLogger(AdminAccount.class.getName());

    private AdminAccount() {
    }

    /** @return the file a generated password was written to, if one was generated */
    public static Optional<Path> ensure(Users users, Optional<String> configuredPassword, Path passwordFile) {
        if (configuredPassword.isPresent()) {
            users.save(NAME, configuredPassword.get(), ROLES);
            return Optional.empty();
        }
        if (!users.list().isEmpty()) {
            return Optional.empty();
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        PrivateFile.write(passwordFile, password + "\n", "the generated admin password");
        users.save(NAME, password, ROLES);
        LOG.warning(() -> "No users yet: created user '" + NAME + "' with a generated password, in " + passwordFile
                + " (readable by its owner only)");
        return Optional.of(passwordFile);
    }
}
