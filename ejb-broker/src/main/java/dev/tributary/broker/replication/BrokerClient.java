package dev.tributary.broker.replication;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/**
 * A blocking Kafka-protocol connection to another broker, one request at a time: all a replica fetcher needs,
 * without kafka-clients' asynchronous NetworkClient machinery. Frames are Kafka's: a 4-byte size, then the header
 * and the body.
 */
final class BrokerClient implements Closeable {

    private static final ScramMechanism SCRAM = ScramMechanism.SCRAM_SHA_512;

    /** Larger than any response a fetch of {@code replica.fetch.max.bytes} per partition can make here. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final String clientId;
    private int correlationId;

    private BrokerClient(Socket socket, String clientId) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        this.clientId = clientId;
    }

    /**
     * @param address {@code host:port} of the other broker's Kafka listener
     * @param login   whom to authenticate as (SCRAM-SHA-512) before the first request, if the listener needs it
     */
    static BrokerClient connect(String address, String clientId, int timeoutMs, Optional<InterBrokerLogin> login)
            throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0)
            throw new IOException("Not a host:port address: " + address);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            BrokerClient client = new BrokerClient(socket, clientId);
            if (login.isPresent())
                client.authenticate(login.get(), address);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e instanceof IOException io ? io : new IOException("Cannot connect to " + address + ": " + e, e);
        }
    }

    /** SaslHandshake v1 then SaslAuthenticate round trips until the SCRAM exchange completes (KIP-152). */
    private void authenticate(InterBrokerLogin login, String address) throws IOException {
        SaslHandshakeResponse handshake = send(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism(SCRAM.mechanismName())).build((short) 1));
        if (handshake.error() != Errors.NONE)
            throw new IOException("The broker at " + address + " does not take " + SCRAM.mechanismName()
                    + " for inter-broker logins: " + handshake.error() + "; it offers "
                    + handshake.data().mechanisms());
        try {
            SaslClient sasl = new ScramSaslClient(SCRAM, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name)
                        name.setName(login.user());
                    else if (callback instanceof PasswordCallback password)
                        password.setPassword(login.password().toCharArray());
                    else if (!(callback instanceof ScramExtensionsCallback))
                        throw new UnsupportedCallbackException(callback);
                }
            });
            byte[] token = sasl.evaluateChallenge(new byte[0]);
            while (!sasl.isComplete()) {
                SaslAuthenticateResponse answer = send(new SaslAuthenticateRequest.Builder(
                        new SaslAuthenticateRequestData().setAuthBytes(token)).build((short) 1));
                if (answer.error() != Errors.NONE)
                    throw new IOException("Inter-broker login as " + login.user() + " at " + address + " failed: "
                            + answer.error() + (answer.errorMessage() == null ? "" : ": " + answer.errorMessage()));
                token = sasl.evaluateChallenge(answer.saslAuthBytes());
            }
        } catch (NoSuchAlgorithmException | SaslException e) {
            throw new IOException("Inter-broker login as " + login.user() + " at " + address + " failed: " + e, e);
        }
    }

    /** Sends {@code request} and waits for its response. */
    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T send(AbstractRequest request) throws IOException {
        ApiKeys api = request.apiKey();
        RequestHeader header = new RequestHeader(api, request.version(), clientId, ++correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > MAX_RESPONSE_BYTES)
            throw new IOException("Response of " + size + " bytes to " + api + " from " + socket.getRemoteSocketAddress());
        byte[] response = new byte[size];
        in.readFully(response);
        try {
            return (T) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        } catch (RuntimeException e) {
            throw new IOException("Malformed " + api + " response from " + socket.getRemoteSocketAddress() + ": " + e,
                    e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
