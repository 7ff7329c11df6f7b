package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.ConnectionSession;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * SaslHandshake v0 and v1: picks the mechanism of the exchange that follows, in SaslAuthenticate requests after v1
 * and in raw size-prefixed SASL tokens after v0 (which kafka-python and older clients still send; Kafka 4 serves
 * both).
 */
public final class SaslHandshakeHandler implements ApiHandler {

    private final SaslServers servers;

    public SaslHandshakeHandler(SaslServers servers) {
        this.servers = servers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short oldestVersion() {
        return 0;
    }

    @Override
    public short latestVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        String mechanism = request.body(SaslHandshakeRequest.class).data().mechanism();
        ConnectionSession session = request.session();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(session.mechanisms());
        if (session.principal() != null) {
            session.failed(); // re-authentication (KIP-368) is not offered: session lifetimes are unlimited
            response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        } else if (!session.mechanisms().contains(mechanism)) {
            session.failed();
            response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        } else {
            session.beginExchange(servers.create(mechanism), request.version() == 0);
            response.setErrorCode(Errors.NONE.code());
        }
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(response));
    }
}
