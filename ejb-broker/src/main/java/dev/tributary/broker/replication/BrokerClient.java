package dev.tributary.broker.replication;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka-protocol connection to another broker, one request at a time: all a replica fetcher needs,
 * without kafka-clients' asynchronous NetworkClient machinery. Frames are Kafka's: a 4-byte size, then the header
 * and the body.
 */
final class BrokerClient implements Closeable {

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

    /** @param address {@code host:port} of the other broker's Kafka listener */
    static BrokerClient connect(String address, String clientId, int timeoutMs) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0)
            throw new IOException("Not a host:port address: " + address);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            return new BrokerClient(socket, clientId);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e instanceof IOException io ? io : new IOException("Cannot connect to " + address + ": " + e, e);
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
