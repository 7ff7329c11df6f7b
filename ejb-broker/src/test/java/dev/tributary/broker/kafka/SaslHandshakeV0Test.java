package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SaslHandshake v0 and the raw SASL tokens that follow it (no SaslAuthenticate requests), as kafka-python and
 * pre-1.0 clients speak it; the client side is the JDK's PLAIN and kafka-clients' SCRAM SASL clients.
 */
class SaslHandshakeV0Test {

    private static final String PASSWORD = "bob-secret-1";

    @TempDir
    Path dataDir;

    private RunningKafkaBroker kafka;

    @BeforeEach
    void start() {
        kafka = new RunningKafkaBroker(dataDir, KafkaListenerConfig.of("127.0.0.1", 0)
                .withSaslMechanisms(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")));
        kafka.broker.users().save("bob", PASSWORD, Set.of("tributary-consumer"));
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void rawTokensAfterAV0HandshakeAuthenticateTheConnection(String mechanism) throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            handshakeV0(socket, mechanism);
            SaslClient client = client(mechanism, PASSWORD);
            byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
            socket.sendRaw(sizePrefixed(token));
            byte[] challenge = socket.receiveFrame();
            while (!client.isComplete()) {
                token = client.evaluateChallenge(challenge); // SCRAM: the client's final message, then nothing
                if (client.isComplete())
                    break;
                socket.sendRaw(sizePrefixed(token));
                challenge = socket.receiveFrame();
            }
            assertTrue(client.isComplete());
            MetadataResponse metadata = socket.call(new MetadataRequest(new MetadataRequestData(), (short) 12));
            assertEquals(1, metadata.brokers().size(), "authenticated: the broker answers Metadata");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
    void aWrongPasswordInARawTokenClosesTheConnection(String mechanism) throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            handshakeV0(socket, mechanism);
            SaslClient client = client(mechanism, "not-bobs");
            byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
            socket.sendRaw(sizePrefixed(token));
            if (mechanism.startsWith("SCRAM")) { // the wrong password shows in the client's final message
                socket.sendRaw(sizePrefixed(client.evaluateChallenge(socket.receiveFrame())));
            }
            assertTrue(socket.closedByBroker());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256"})
    void theV0HandshakeNamesTheListenersMechanisms(String mechanism) throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            SaslHandshakeResponse response = socket.call(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 0));
            assertEquals(Errors.NONE, response.error());
            assertEquals(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), response.enabledMechanisms());
        }
    }

    @Test
    void aPlainRawTokenIsAnsweredWithAnEmptyFrame() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(kafka.kafka.port())) {
            handshakeV0(socket, "PLAIN");
            socket.sendRaw(sizePrefixed(client("PLAIN", PASSWORD).evaluateChallenge(new byte[0])));
            assertArrayEquals(new byte[0], socket.receiveFrame());
        }
    }

    private static void handshakeV0(RawKafkaSocket socket, String mechanism) throws IOException {
        SaslHandshakeResponse response = socket.call(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 0));
        assertEquals(Errors.NONE, response.error());
    }

    private static SaslClient client(String mechanism, String password) throws Exception {
        CallbackHandler credentials = callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name)
                    name.setName("bob");
                else if (callback instanceof PasswordCallback secret)
                    secret.setPassword(password.toCharArray());
                else
                    throw new UnsupportedCallbackException(callback);
            }
        };
        if (mechanism.equals("PLAIN"))
            return Sasl.createSaslClient(new String[] {"PLAIN"}, null, "kafka", "localhost", Map.of(), credentials);
        return new ScramSaslClient(ScramMechanism.forMechanismName(mechanism), credentials);
    }

    private static byte[] sizePrefixed(byte[] token) {
        byte[] frame = new byte[4 + token.length];
        ByteBuffer.wrap(frame).putInt(token.length).put(token);
        return frame;
    }
}
