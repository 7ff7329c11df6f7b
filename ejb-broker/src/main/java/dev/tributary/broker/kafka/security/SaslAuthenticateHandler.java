package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

/**
 * SaslAuthenticate v0-2: one step of the exchange a SaslHandshake v1 began. Success makes the connection
 * {@code User:name}; failure is answered with SASL_AUTHENTICATION_FAILED (so the client reports it rather than
 * retrying) and the connection is closed. Neither the failure's answer nor the log names more than the mechanism
 * and the connection: no user names that do not exist, no passwords.
 */
public final class SaslAuthenticateHandler implements ApiHandler {

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
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData();
        try {
            byte[] challenge = request.session().authenticate(
                    request.body(SaslAuthenticateRequest.class).data().authBytes(), request.connectionId(),
                    request.clientHost());
            response.setErrorCode(Errors.NONE.code()).setAuthBytes(challenge);
        } catch (AuthenticationException e) { // SASL_AUTHENTICATION_FAILED or ILLEGAL_SASL_STATE
            response.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage()).setAuthBytes(new byte[0]);
        }
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse(response));
    }
}
