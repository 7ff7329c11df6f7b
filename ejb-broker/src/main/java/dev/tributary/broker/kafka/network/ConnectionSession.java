package dev.tributary.broker.kafka.network;

import java.util.List;
import java.util.Set;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Who is on one connection. On a SASL listener a connection is anonymous until a SaslHandshake and its
 * SaslAuthenticate exchange succeed, and may send nothing but ApiVersions and those two until then; on a
 * PLAINTEXT listener everyone is {@code User:ANONYMOUS}, as in Kafka.
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
    private SaslServer exchange;

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

    public synchronized void beginExchange(SaslServer server) {
        disposeExchange();
        exchange = server;
    }

    /** The exchange a SaslHandshake began, or null. */
    public synchronized SaslServer exchange() {
        return exchange;
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
            } catch (javax.security.sasl.SaslException e) {
                // nothing held
            }
            exchange = null;
        }
    }
}
