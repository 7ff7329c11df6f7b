package dev.tributary.broker.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The user that applications deployed in the broker's own server act as when they name none: the in-VM resource
 * adapter's connection factories and MDBs without {@code user}/{@code password} properties are
 * {@code User:}{@value #NAME}. Created once, on a broker without any user yet, with the producer and consumer
 * roles (read and write every topic, consume in every group; no administration) and a random password that is
 * written nowhere: in-VM the broker vouches for the application, which is code its operator deployed into the same
 * JVM. Narrow it by changing its roles or adding DENY bindings; delete it (or take its roles) to make naming a user
 * mandatory — an application without one is then refused, told which properties to set.
 */
public final class ApplicationAccount {

    public static final String NAME = "app";
    public static final String PRINCIPAL = "User:" + NAME;
    static final Set<String> ROLES = Set.of(RoleGrants.PRODUCER, RoleGrants.CONSUMER);
    private static final Logger LOG = Logger.getLogger(ApplicationAccount.class.getName());

    private ApplicationAccount() {
    }

    /** Creates {@value #NAME}; call it on the first start only (when the broker had no user). */
    public static void create(Users users) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        users.save(NAME, Base64.getUrlEncoder().withoutPadding().encodeToString(random), ROLES);
        LOG.info(() -> "Created user '" + NAME + "' with roles " + ROLES + ": applications deployed beside the broker "
                + "act as it unless their connection factory or MDB names a user (change its roles, or delete it, "
                + "with /api/v1/users/" + NAME + ")");
    }
}
