package dev.tributary.broker.kafka.network;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import org.apache.kafka.common.network.InvalidReceiveException;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransportLayer;

/**
 * One client connection: reads 4-byte size-prefixed request frames and writes response {@link Send}s.
 *
 * <p><b>Order.</b> Responses are written in request order, and a request is read only once the one before it has
 * been <em>released</em>: answered, or released early by a handler whose order-sensitive work is done (a Produce
 * once its batches are appended, so that a producer's next request is appended after it while the first still
 * waits for its fsync). Until then the connection is <em>muted</em> (no read interest, so further requests wait in
 * the socket buffer). Without early releases this is Kafka's one-request-at-a-time processor; with them a
 * pipelining producer's fsyncs overlap, and at most {@value #MAX_IN_FLIGHT} requests are in flight.
 *
 * <p>Confined to its processor's thread.
 */
final class KafkaConnection {

    /** As many requests as a Kafka producer keeps in flight by default. */
    static final int MAX_IN_FLIGHT = 5;

    /** A request read from this connection whose response has not been written completely. */
    static final class InFlightRequest {
        private boolean released;
        private boolean answered;
        private Send response;
    }

    private final String id;
    /** Plaintext, or TLS over the socket; what requests are read from and responses written to. */
    private final TransportLayer transport;
    private final int maxRequestBytes;
    private final ConnectionSession session;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private final ArrayDeque<InFlightRequest> inFlight = new ArrayDeque<>(MAX_IN_FLIGHT);
    private SelectionKey key;
    private ByteBuffer payload;
    private boolean closed;

    KafkaConnection(String id, TransportLayer transport, int maxRequestBytes, ConnectionSession session) {
        this.id = id;
        this.transport = transport;
        this.maxRequestBytes = maxRequestBytes;
        this.session = session;
    }

    ConnectionSession session() {
        return session;
    }

    /** Every response handed to this connection is written, and no request awaits one. */
    boolean drained() {
        return inFlight.isEmpty();
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    String id() {
        return id;
    }

    /** The client's IP address, or "unknown" once the socket is gone. */
    String clientHost() {
        InetSocketAddress remote = remoteAddress();
        return remote == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) transport.socketChannel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads what the socket has towards the current frame.
     *
     * @return the complete frame (without its size prefix), positioned at 0; {@code null} if it is not complete yet
     * @throws InvalidReceiveException if the size prefix is negative or larger than {@code maxRequestBytes}; nothing
     *                                 has been allocated for it
     * @throws EOFException            if the client closed the connection
     */
    ByteBuffer read() throws IOException {
        if (payload == null) {
            if (transport.read(sizeBuffer) < 0)
                throw new EOFException("Connection " + id + " closed by the client");
            if (sizeBuffer.hasRemaining())
                return null;
            int size = sizeBuffer.getInt(0);
            if (size < 0 || size > maxRequestBytes)
                throw new InvalidReceiveException("Connection " + id + " sent a request of " + size
                        + " bytes; the limit (socket.request.max.bytes) is " + maxRequestBytes);
            payload = ByteBuffer.allocate(size);
        }
        if (payload.hasRemaining() && transport.read(payload) < 0)
            throw new EOFException("Connection " + id + " closed by the client in the middle of a request");
        if (payload.hasRemaining())
            return null;
        ByteBuffer frame = payload.flip();
        payload = null;
        sizeBuffer.clear();
        return frame;
    }

    /** Records a request just read; reading stops until it is released. */
    InFlightRequest begin() {
        InFlightRequest request = new InFlightRequest();
        inFlight.addLast(request);
        updateInterest();
        return request;
    }

    /** The request's order-sensitive work is done: the next one may be read. */
    void release(InFlightRequest request) {
        request.released = true;
        updateInterest();
    }

    /**
     * Queues the response to {@code request} ({@code null}: none, as for acks=0) and writes every response that is
     * now due in request order.
     */
    void answer(InFlightRequest request, Send response) throws IOException {
        request.released = true;
        request.answered = true;
        request.response = response;
        writePending();
    }

    /** Whether a request was read and its response has not been handed to the connection yet. */
    boolean awaitingResponse() {
        for (InFlightRequest request : inFlight) {
            if (!request.answered)
                return true;
        }
        return false;
    }

    /** Writes what the socket takes of the due responses, oldest first, and stops at one not answered yet. */
    void writePending() throws IOException {
        InFlightRequest head;
        while ((head = inFlight.peekFirst()) != null && head.answered) {
            if (head.response != null) {
                head.response.writeTo(transport);
                if (!head.response.completed())
                    break;
            }
            inFlight.removeFirst();
        }
        updateInterest();
    }

    /** Whether the TLS handshake (if any) is done, so requests can be read. */
    boolean ready() {
        return transport.ready();
    }

    /** One step of the TLS handshake; once it completes, the connection reads requests. */
    void handshake() throws IOException {
        transport.handshake();
        if (transport.ready())
            updateInterest();
    }

    /**
     * Whether it may read now and TLS has already decrypted bytes of a request, which no selector will report
     * (they are off the socket).
     */
    boolean hasBufferedRead() {
        return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0
                && transport.hasBytesBuffered();
    }

    private void updateInterest() {
        InFlightRequest head = inFlight.peekFirst();
        InFlightRequest last = inFlight.peekLast();
        int ops = 0;
        if (last == null || (last.released && inFlight.size() < MAX_IN_FLIGHT))
            ops |= SelectionKey.OP_READ;
        if (head != null && head.answered && head.response != null)
            ops |= SelectionKey.OP_WRITE; // only while a write did not complete
        interest(ops);
    }

    boolean closed() {
        return closed;
    }

    void close() {
        if (closed)
            return;
        closed = true;
        if (key != null)
            key.cancel();
        try {
            transport.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    private void interest(int ops) {
        if (key != null && key.isValid())
            key.interestOps(ops);
    }

    @Override
    public String toString() {
        return "KafkaConnection(" + id + ")";
    }
}
