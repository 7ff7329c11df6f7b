package dev.tributary.broker.kafka;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.apache.kafka.common.network.InvalidReceiveException;
import org.apache.kafka.common.network.Send;

/**
 * One client connection: reads 4-byte size-prefixed request frames and writes response {@link Send}s.
 *
 * <p>Requests are answered in order because a connection holds at most one request at a time: after a frame is
 * read the connection is <em>muted</em> (no read interest, so further requests wait in the socket buffer) until
 * the response has been written, or the handler said there is none (acks=0). This is what Kafka's processors do.
 *
 * <p>Confined to its processor's thread.
 */
final class KafkaConnection {

    private final String id;
    private final SocketChannel socket;
    private final SocketTransferableChannel transfer;
    private final int maxRequestBytes;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private SelectionKey key;
    private ByteBuffer payload;
    private Send pending;
    private boolean muted;
    private boolean closed;

    KafkaConnection(String id, SocketChannel socket, int maxRequestBytes) {
        this.id = id;
        this.socket = socket;
        this.transfer = new SocketTransferableChannel(socket);
        this.maxRequestBytes = maxRequestBytes;
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
            return (InetSocketAddress) socket.getRemoteAddress();
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
            if (socket.read(sizeBuffer) < 0)
                throw new EOFException("Connection " + id + " closed by the client");
            if (sizeBuffer.hasRemaining())
                return null;
            int size = sizeBuffer.getInt(0);
            if (size < 0 || size > maxRequestBytes)
                throw new InvalidReceiveException("Connection " + id + " sent a request of " + size
                        + " bytes; the limit (socket.request.max.bytes) is " + maxRequestBytes);
            payload = ByteBuffer.allocate(size);
        }
        if (payload.hasRemaining() && socket.read(payload) < 0)
            throw new EOFException("Connection " + id + " closed by the client in the middle of a request");
        if (payload.hasRemaining())
            return null;
        ByteBuffer frame = payload.flip();
        payload = null;
        sizeBuffer.clear();
        return frame;
    }

    /** Stops reading until {@link #unmute()}: one request at a time per connection. */
    void mute() {
        muted = true;
        interest(0);
    }

    void unmute() {
        muted = false;
        interest(SelectionKey.OP_READ);
    }

    boolean muted() {
        return muted;
    }

    /** Whether a request was read and its response has not been handed to the connection yet. */
    boolean awaitingResponse() {
        return muted && pending == null;
    }

    /** Starts writing {@code send}; the connection stays muted until it is written completely. */
    void startSend(Send send) throws IOException {
        pending = send;
        writePending();
    }

    /**
     * Writes what the socket takes of the pending response; when it is complete, unmutes the connection.
     */
    void writePending() throws IOException {
        if (pending == null)
            return;
        pending.writeTo(transfer);
        if (pending.completed()) {
            pending = null;
            unmute();
        } else {
            interest(SelectionKey.OP_WRITE);
        }
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
            socket.close();
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
