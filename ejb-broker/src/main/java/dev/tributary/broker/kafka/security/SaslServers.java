package dev.tributary.broker.kafka.security;

import dev.tributary.broker.security.Users;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Makes the SASL server side of one authentication exchange, checking credentials against {@link Users}: PLAIN
 * verifies the password against the user's SCRAM credential; SCRAM-SHA-256/512 run the SCRAM exchange with it
 * ({@link ScramServer}).
 */
public final class SaslServers {

    public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private final Users users;

    public SaslServers(Users users) {
        this.users = users;
    }

    /** @throws IllegalArgumentException for a mechanism not in {@link #MECHANISMS} */
    SaslServer create(String mechanism) {
        if ("PLAIN".equals(mechanism)) {
            return new PlainSaslServer(new UserCallbacks());
        }
        if (!ScramMechanism.isScram(mechanism)) {
            throw new IllegalArgumentException("Unsupported SASL mechanism " + mechanism);
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        try {
            return new ScramServer(scram, name -> users.find(name).map(user -> user.credential(scram)).orElse(null));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM cannot do " + mechanism, e);
        }
    }

    /** Answers PLAIN's questions about the user named in the exchange. */
    private final class UserCallbacks implements CallbackHandler {

        private String name;

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback nameCallback) {
                    name = nameCallback.getDefaultName();
                } else if (callback instanceof PlainAuthenticateCallback plain) {
                    plain.authenticated(name != null && users.authenticate(name, plain.password()).isPresent());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }
    }
}
