package dev.tributary.broker.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A plaintext socket as kafka-clients' {@link org.apache.kafka.common.network.Send}s want to write to it: buffers go
 * out with gathering writes and file regions ({@code FileRecords} slices of a Fetch response) with
 * {@link FileChannel#transferTo}, so record data goes from the page cache to the socket without passing through the
 * heap (what Kafka's {@code PlaintextTransportLayer} does).
 */
final class SocketTransferableChannel implements TransferableChannel {

    private final SocketChannel socket;

    SocketTransferableChannel(SocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public boolean hasPendingWrites() {
        return false; // no TLS buffer between us and the socket
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        return fileChannel.transferTo(position, count, socket);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return socket.write(srcs);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return socket.write(src);
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
