package dev.tributary.broker.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/** A blocking socket speaking the Kafka wire format by hand, to send what stock clients never would. */
public final class RawKafkaSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int nextCorrelationId = 1;

    public RawKafkaSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Sends {@code request} at its version and parses the response. */
    @SuppressWarnings("unchecked")
    <R extends AbstractResponse> R call(AbstractRequest request) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-test", nextCorrelationId++);
        send(header, request);
        return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(receiveFrame()), header);
    }

    public void send(RequestHeader header, AbstractRequest request) throws IOException {
        ByteBuffer bytes = request.serializeWithHeader(header);
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
    }

    /** How long a read waits before giving up. */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public byte[] receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    /** Whether the broker closes the connection after whatever it sends first (a TLS alert, say). */
    boolean closedByBrokerAfterItsLastWords() throws IOException {
        try {
            while (in.read() != -1) {
                // its last words
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether the broker closed the connection (rather than answering) within the socket timeout. */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | SocketException e) {
            return true; // reset
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
