package dev.tributary.broker.kafka.network;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Who is on one connection. On a SASL listener a connection is anonymous until a SaslHandshake and its
 * SaslAuthenticate exchange succeed, and may send nothing but ApiVersions and those two until then; on a
 * PLAINTEXT listener everyone is {@code User:ANONYMOUS}, as in Kafka.
 *
 * <p>A SaslHandshake v0 (clients before Kafka 1.0, librdkafka and kafka-python in some set-ups) is followed not by
 * SaslAuthenticate requests but by raw SASL tokens, each in a size-prefixed frame without a request header, and
 * answered the same way: while {@link #awaitsRawToken()} the connection's next frame is such a token.
 *
 * <p>Requests of one connection are handled one at a time while it authenticates (only a Produce releases its
 * connection early, and it cannot be sent before), so the exchange needs no more than this object's monitor.
 */
public final class ConnectionSession {

    static final String ANONYMOUS = "User:ANONYMOUS";
    private static final Set<ApiKeys> BEFORE_AUTHENTICATION =
            Set.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE);

    private final List<String> mechanisms;
    private volatile String principal;
    private volatile boolean closeWhenAnswered;
    private static final Logger LOG = Logger.getLogger(ConnectionSession.class.getName());

    private SaslServer exchange;
    private boolean rawTokens;

    ConnectionSession(List<String> mechanisms) {
        this.mechanisms = List.copyOf(mechanisms);
        this.principal = mechanisms.isEmpty() ? ANONYMOUS : null;
    }

    public List<String> mechanisms() {
        return mechanisms;
    }

    /** Whether this connection may send {@code api} now. */
    boolean mayServe(ApiKeys api) {
        return principal != null || BEFORE_AUTHENTICATION.contains(api);
    }

    /** {@code User:name} once authenticated (or on a PLAINTEXT listener), else null. */
    public String principal() {
        return principal;
    }

    /**
     * Begins the exchange a SaslHandshake chose.
     *
     * @param rawTokens whether its tokens come as raw frames (SaslHandshake v0) rather than SaslAuthenticate requests
     */
    public synchronized void beginExchange(SaslServer server, boolean rawTokens) {
        disposeExchange();
        exchange = server;
        this.rawTokens = rawTokens;
    }

    /** Whether the next frame is a raw SASL token of an exchange a SaslHandshake v0 began. */
    synchronized boolean awaitsRawToken() {
        return exchange != null && rawTokens;
    }

    /**
     * One step of the exchange: evaluates the client's token; once the exchange completes the connection is
     * {@code User:name}. A failure is logged (mechanism, connection and address; never a user name or password)
     * and marks the session {@link #failed()}.
     *
     * @return the server's answer to the token, empty when it has none
     * @throws SaslAuthenticationException if the credentials are wrong or the token is malformed
     * @throws IllegalSaslStateException   if no exchange began
     */
    public synchronized byte[] authenticate(byte[] token, String connectionId, String clientHost) {
        SaslServer server = exchange;
        if (server == null) {
            failed();
            throw new IllegalSaslStateException("A SASL token without a SaslHandshake before it");
        }
        try {
            byte[] challenge = server.evaluateResponse(token);
            if (server.isComplete()) {
                String user = server.getAuthorizationID();
                authenticated(user);
                LOG.fine(() -> "Connection " + connectionId + " authenticated as User:" + user + " with "
                        + server.getMechanismName());
            }
            return challenge == null ? new byte[0] : challenge;
        } catch (SaslException | SaslAuthenticationException e) {
            String mechanism = server.getMechanismName();
            failed();
            LOG.warning(() -> "Authentication failed with " + mechanism + " on connection " + connectionId
                    + " from " + clientHost);
            LOG.log(Level.FINE, "Why the authentication failed on " + connectionId, e);
            throw new SaslAuthenticationException("Authentication failed during authentication due to invalid "
                    + "credentials with SASL mechanism " + mechanism);
        }
    }

    public synchronized void authenticated(String user) {
        principal = "User:" + user;
        disposeExchange();
    }

    /** The authentication failed: answer, then close (Kafka's behaviour, so the client reports why). */
    public synchronized void failed() {
        closeWhenAnswered = true;
        disposeExchange();
    }

    boolean closeWhenAnswered() {
        return closeWhenAnswered;
    }

    private void disposeExchange() {
        if (exchange != null) {
            try {
                exchange.dispose();
            } catch (SaslException e) {
                // nothing held
            }
            exchange = null;
        }
    }
}
