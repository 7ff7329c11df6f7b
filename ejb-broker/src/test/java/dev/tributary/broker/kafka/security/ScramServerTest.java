package dev.tributary.broker.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.junit.jupiter.api.Test;

/** The SCRAM exchange, by hand: RFC 5802's nonce, librdkafka's doubled one, and nothing else. */
class ScramServerTest {

    private static final ScramMechanism SHA512 = ScramMechanism.SCRAM_SHA_512;
    private static final String CLIENT_NONCE = "clientnonce0123";

    private final ScramFormatter formatter = formatter();
    private final ScramCredential credential = credential();

    private static ScramFormatter formatter() {
        try {
            return new ScramFormatter(SHA512);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ScramCredential credential() {
        return formatter.generateCredential("carol-secret", 4096);
    }

    /** Runs the exchange with the client-final nonce {@code nonceFor(serverNonce)} and password {@code password}. */
    private String exchange(java.util.function.UnaryOperator<String> nonceFor, String password) throws Exception {
        ScramServer server = new ScramServer(SHA512, user -> user.equals("carol") ? credential : null);
        ClientFirstMessage first = new ClientFirstMessage("carol", CLIENT_NONCE, Map.of());
        ServerFirstMessage serverFirst = new ServerFirstMessage(server.evaluateResponse(first.toBytes()));
        assertTrue(serverFirst.nonce().startsWith(CLIENT_NONCE));
        ClientFinalMessage last = new ClientFinalMessage("n,,".getBytes(StandardCharsets.UTF_8),
                nonceFor.apply(serverFirst.nonce()));
        byte[] salted = formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        last.proof(formatter.clientProof(salted, first, serverFirst, last));
        server.evaluateResponse(last.toBytes());
        assertTrue(server.isComplete());
        return server.getAuthorizationID();
    }

    @Test
    void theRfcNonceAuthenticates() throws Exception {
        assertEquals("carol", exchange(nonce -> nonce, "carol-secret"));
    }

    @Test
    void librdkafkasDoubledClientNonceAuthenticates() throws Exception {
        assertEquals("carol", exchange(nonce -> CLIENT_NONCE + nonce, "carol-secret"));
    }

    @Test
    void anyOtherNonceOrAWrongPasswordIsRefused() {
        assertThrows(SaslException.class, () -> exchange(nonce -> CLIENT_NONCE, "carol-secret"));
        assertThrows(SaslException.class, () -> exchange(nonce -> "x" + nonce, "carol-secret"));
        assertThrows(SaslException.class, () -> exchange(nonce -> nonce, "not-carols"));
    }

    @Test
    void anUnknownUserIsRefusedAtTheFirstMessage() throws Exception {
        ScramServer server = new ScramServer(SHA512, user -> null);
        assertThrows(SaslException.class, () -> server.evaluateResponse(
                new ClientFirstMessage("mallory", CLIENT_NONCE, Map.of()).toBytes()));
    }
}
