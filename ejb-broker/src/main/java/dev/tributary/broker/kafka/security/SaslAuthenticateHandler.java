package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.ConnectionSession;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

/**
 * SaslAuthenticate v0-2: one step of the exchange the handshake began. Success makes the connection
 * {@code User:name}; failure is answered with SASL_AUTHENTICATION_FAILED (so the client reports it rather than
 * retrying) and the connection is closed. Neither the failure's answer nor the log names more than the mechanism
 * and the connection: no user names that do not exist, no passwords.
 */
public final class SaslAuthenticateHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(SaslAuthenticateHandler.class.getName());

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public short oldestVersion() {
        return 0;
    }

    @Override
    public short latestVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ConnectionSession session = request.session();
        SaslServer exchange = session.exchange();
        if (exchange == null) {
            session.failed();
            return answer(Errors.ILLEGAL_SASL_STATE, "SaslAuthenticate without a SaslHandshake before it");
        }
        try {
            byte[] challenge = exchange.evaluateResponse(
                    request.body(SaslAuthenticateRequest.class).data().authBytes());
            if (exchange.isComplete()) {
                String user = exchange.getAuthorizationID();
                session.authenticated(user);
                LOG.fine(() -> "Connection " + request.connectionId() + " authenticated as User:" + user + " with "
                        + exchange.getMechanismName());
            }
            return CompletableFuture.completedFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.NONE.code()).setAuthBytes(challenge == null ? new byte[0] : challenge)));
        } catch (SaslException | SaslAuthenticationException e) {
            String mechanism = exchange.getMechanismName();
            session.failed();
            LOG.warning(() -> "Authentication failed with " + mechanism + " on connection " + request.connectionId()
                    + " from " + request.clientHost());
            return answer(Errors.SASL_AUTHENTICATION_FAILED, "Authentication failed during authentication due to "
                    + "invalid credentials with SASL mechanism " + mechanism);
        }
    }

    private static CompletableFuture<AbstractResponse> answer(Errors error, String message) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(error.code()).setErrorMessage(message).setAuthBytes(new byte[0])));
    }
}
