package dev.tributary.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Users and their passwords: creates SCRAM credentials (random salt, {@value #ITERATIONS} iterations) for every
 * mechanism, and checks a password given in clear (SASL/PLAIN, HTTP Basic) against them the way SCRAM would, so no
 * other form of the password is ever kept. Thread-safe.
 */
public final class Users {

    /** Kafka's default for SCRAM credentials created with kafka-configs. */
    static final int ITERATIONS = 4096;
    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,255}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checked for unknown users so that their answer is not faster than a wrong password's. */
    private static final ScramCredential DECOY = new ScramCredential(new byte[32], new byte[64], new byte[64],
            ITERATIONS);

    /**
     * How long a verified password is taken without asking the store and running {@value #ITERATIONS} iterations
     * again: HTTP Basic sends it with every request. Changes made on this broker apply at once; on another broker
     * sharing the database, within this time.
     */
    static final long VERIFIED_FOR_NANOS = 60_000_000_000L;
    /** Salts the in-memory password digests, so they are useless outside this process. */
    private static final byte[] DIGEST_SALT = randomBytes(16);

    private final UserStore store;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(byte[] passwordDigest, User user, long expiresAtNanos) {
    }

    public Users(UserStore store) {
        this.store = store;
    }

    /**
     * Creates {@code name} or replaces its password and roles.
     *
     * @throws IllegalArgumentException for a name or role outside {@code [A-Za-z0-9._@-]}, or a password shorter
     *                                  than {@value #MIN_PASSWORD_LENGTH} characters (the message never contains it)
     */
    public User save(String name, String password, Set<String> roles) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A user name is 1 to 255 of the characters A-Z a-z 0-9 . _ @ -");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("Invalid role name '" + role + "'");
            }
        }
        Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            try {
                credentials.put(mechanism, new ScramFormatter(mechanism).generateCredential(password, ITERATIONS));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("This JVM lacks " + mechanism.hashAlgorithm(), e);
            }
        }
        User user = new User(name, roles, credentials);
        store.save(user);
        verified.remove(name);
        return user;
    }

    public Optional<User> find(String name) {
        return store.find(name);
    }

    public boolean delete(String name) {
        verified.remove(name);
        return store.delete(name);
    }

    public List<User> list() {
        return store.list();
    }

    /** The user, if {@code password} is theirs. Takes as long for an unknown user as for a wrong password. */
    public Optional<User> authenticate(String name, char[] password) {
        byte[] digest = digest(password);
        Verified recent = verified.get(name);
        if (recent != null && System.nanoTime() - recent.expiresAtNanos() < 0
                && MessageDigest.isEqual(recent.passwordDigest(), digest)) {
            return Optional.of(recent.user());
        }
        Optional<User> user = authenticateAgainstStore(name, password);
        user.ifPresent(u -> verified.put(name, new Verified(digest, u, System.nanoTime() + VERIFIED_FOR_NANOS)));
        return user;
    }

    private Optional<User> authenticateAgainstStore(String name, char[] password) {
        Optional<User> user = store.find(name);
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_512;
        ScramCredential credential = user.map(u -> u.credential(mechanism)).orElse(DECOY);
        boolean matches = matches(mechanism, credential, password);
        return matches && user.isPresent() ? user : Optional.empty();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static byte[] digest(char[] password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(DIGEST_SALT);
            sha256.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return sha256.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks SHA-256", e);
        }
    }

    private static boolean matches(ScramMechanism mechanism, ScramCredential credential, char[] password) {
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.hi(ScramFormatter.normalize(new String(password)), credential.salt(),
                    credential.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
            return MessageDigest.isEqual(storedKey, credential.storedKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + mechanism.macAlgorithm(), e);
        }
    }

    /** The SCRAM credential text the store keeps: Base64 salt, stored key, server key, then the iterations. */
    public static String encode(ScramCredential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        return base64.encodeToString(credential.salt()) + ":" + base64.encodeToString(credential.storedKey()) + ":"
                + base64.encodeToString(credential.serverKey()) + ":" + credential.iterations();
    }

    public static ScramCredential decode(String text) {
        String[] parts = text.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a stored SCRAM credential");
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return new ScramCredential(base64.decode(parts[0]), base64.decode(parts[1]), base64.decode(parts[2]),
                Integer.parseInt(parts[3]));
    }
}
