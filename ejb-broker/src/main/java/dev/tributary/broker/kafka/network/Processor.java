package dev.tributary.broker.kafka.network;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.network.ChannelMetadataRegistry;
import org.apache.kafka.common.network.CipherInformation;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.InvalidReceiveException;
import org.apache.kafka.common.network.PlaintextTransportLayer;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.SslTransportLayer;
import org.apache.kafka.common.network.TransportLayer;

/**
 * A network thread (Kafka's {@code SocketServer.Processor}): owns a selector and the connections the acceptor gave
 * it, reads request frames, hands them to the {@link RequestDispatcher} and writes the responses that come back
 * from handler threads through {@link #respond}. Everything about a connection happens on this thread.
 *
 * <p>Connections idle for {@code connections.max.idle.ms} are closed ({@link IdleConnections}): the selector's
 * timeout is cut to the moment the least recently active one would expire, so this costs no extra wake-ups while
 * every connection is busy, and no loop that polls. Every connection it closes is released from the listener's
 * {@link ConnectionLimit}.
 */
final class Processor implements Runnable {

    private static final Logger LOG = Logger.getLogger(Processor.class.getName());
    private static final long SELECT_TIMEOUT_MS = 300;

    /** A handler thread's news about a request: released early ({@code released}) or answered. */
    private record Response(KafkaConnection connection, KafkaConnection.InFlightRequest request, boolean released,
                            Send send, Throwable failure) {
    }

    private final int index;
    private final Selector selector;
    private final RequestDispatcher dispatcher;
    private final int maxRequestBytes;
    private final List<String> saslMechanisms;
    /** The TLS context when the listener speaks SSL; null for plaintext. */
    private final SSLContext tls;
    /** Connections whose TLS layer holds decrypted bytes the selector cannot know about. */
    private final Set<KafkaConnection> bufferedReads = new HashSet<>();
    private final IdleConnections idle;
    private final ConnectionLimit limit;
    private final Queue<SocketChannel> newConnections = new ConcurrentLinkedQueue<>();
    private final Queue<Response> responses = new ConcurrentLinkedQueue<>();
    private final Set<KafkaConnection> connections = new HashSet<>();
    private long nextConnectionNumber;
    private volatile boolean running = true;

    Processor(int index, RequestDispatcher dispatcher, NetworkConfig config, ConnectionLimit limit)
            throws IOException {
        this.index = index;
        this.dispatcher = dispatcher;
        this.maxRequestBytes = config.maxRequestBytes();
        this.saslMechanisms = config.saslMechanisms();
        this.tls = config.tls() == null ? null : config.tls().get();
        this.idle = new IdleConnections(config.connectionsMaxIdleMs());
        this.limit = limit;
        this.selector = Selector.open();
    }

    /** Called by the acceptor thread with a connection it counted in the {@link ConnectionLimit}. */
    void accept(SocketChannel socket) {
        newConnections.add(socket);
        selector.wakeup();
    }

    /** Called by whichever thread completes or releases a request. */
    private void respond(Response response) {
        responses.add(response);
        selector.wakeup();
    }

    void shutdown() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                registerNewConnections();
                sendResponses();
                closeIdleConnections();
                if (bufferedReads.isEmpty())
                    selector.select(Math.min(SELECT_TIMEOUT_MS, idle.millisUntilNextExpiry(System.nanoTime())));
                else
                    selector.selectNow();
                serveBufferedReads();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    KafkaConnection connection = (KafkaConnection) key.attachment();
                    serve(connection, key.isReadable(), key.isValid() && key.isWritable());
                    trackActivity(connection);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.SEVERE, "Network thread " + index + " failed; its connections are closed", e);
        } finally {
            for (KafkaConnection connection : connections) {
                connection.close();
                limit.release();
            }
            connections.clear();
            SocketChannel socket;
            while ((socket = newConnections.poll()) != null)
                closeUnregistered(socket);
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void serve(KafkaConnection connection, boolean readable, boolean writable) {
        try {
            if (!connection.ready()) {
                connection.handshake();
                if (!connection.ready())
                    return;
                readable = true; // the first request may have come with the handshake's last flight
            }
            if (readable) {
                ByteBuffer frame = connection.read();
                if (frame != null)
                    dispatch(connection, frame);
            }
            if (writable && !connection.closed()) {
                connection.writePending();
                closeIfRefused(connection);
            }
            noteBufferedRead(connection);
        } catch (EOFException e) {
            close(connection, Level.FINE, e.getMessage());
        } catch (SslAuthenticationException e) {
            close(connection, Level.INFO, "TLS handshake failed: " + e.getMessage());
        } catch (InvalidReceiveException e) {
            close(connection, Level.INFO, e.getMessage());
        } catch (CloseConnectionException e) {
            close(connection, e.level(), e.getMessage());
        } catch (IOException | CancelledKeyException e) {
            close(connection, Level.FINE, "I/O error on " + connection.id() + ": " + e);
        } catch (RuntimeException | OutOfMemoryError e) {
            // A request must never take the network thread down with it.
            LOG.log(Level.SEVERE, "Unexpected error on connection " + connection.id() + "; closing it", e);
            close(connection, Level.FINE, null);
        }
    }

    private void dispatch(KafkaConnection connection, ByteBuffer frame) {
        KafkaConnection.InFlightRequest inFlight = connection.begin();
        if (connection.session().awaitsRawToken()) {
            dispatcher.dispatchSaslToken(frame, connection.id(), connection.clientHost(), connection.session())
                    .whenComplete((send, failure) -> respond(new Response(connection, inFlight, false, send, failure)));
            return;
        }
        KafkaRequest request = dispatcher.parse(frame, connection.id(), connection.clientHost(),
                connection.session(), () -> respond(new Response(connection, inFlight, true, null, null)));
        dispatcher.dispatch(request).whenComplete(
                (send, failure) -> respond(new Response(connection, inFlight, false, send, failure)));
    }

    private void sendResponses() {
        Response response;
        while ((response = responses.poll()) != null) {
            KafkaConnection connection = response.connection();
            if (connection.closed())
                continue;
            if (response.failure() != null) {
                Throwable failure = response.failure() instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : response.failure();
                if (failure instanceof CloseConnectionException close)
                    close(connection, close.level(), close.getMessage());
                else {
                    LOG.log(Level.WARNING, "Cannot respond on " + connection.id() + "; closing it", failure);
                    close(connection, Level.FINE, null);
                }
                continue;
            }
            try {
                if (response.released())
                    connection.release(response.request());
                else {
                    connection.answer(response.request(), response.send());
                    closeIfRefused(connection);
                }
                noteBufferedRead(connection);
            } catch (IOException | CancelledKeyException e) {
                close(connection, Level.FINE, "I/O error on " + connection.id() + ": " + e);
            }
            trackActivity(connection);
        }
    }

    private void noteBufferedRead(KafkaConnection connection) {
        if (!connection.closed() && connection.hasBufferedRead())
            bufferedReads.add(connection);
    }

    /** Reads what TLS already decrypted for connections that may read now (one frame each, as a select would). */
    private void serveBufferedReads() {
        if (bufferedReads.isEmpty())
            return;
        List<KafkaConnection> pending = List.copyOf(bufferedReads);
        bufferedReads.clear();
        for (KafkaConnection connection : pending) {
            if (!connection.closed() && connection.hasBufferedRead()) {
                serve(connection, true, false);
                trackActivity(connection);
            }
        }
    }

    /** After a failed authentication, once its answer is written. */
    private void closeIfRefused(KafkaConnection connection) {
        if (connection.session().closeWhenAnswered() && connection.drained())
            close(connection, Level.FINE, "authentication failed");
    }

    private void registerNewConnections() {
        SocketChannel socket;
        while ((socket = newConnections.poll()) != null) {
            try {
                socket.configureBlocking(false);
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                String id = socket.getLocalAddress() + "-" + socket.getRemoteAddress() + "-" + index + "-"
                        + nextConnectionNumber++;
                SelectionKey key = socket.register(selector, SelectionKey.OP_READ);
                KafkaConnection connection = new KafkaConnection(id, transport(id, key, socket), maxRequestBytes,
                        new ConnectionSession(saslMechanisms));
                key.attach(connection);
                connection.register(key);
                connections.add(connection);
                idle.touch(connection, System.nanoTime());
            } catch (IOException e) {
                LOG.log(Level.FINE, "Could not register a new connection", e);
                closeUnregistered(socket);
            }
        }
    }

    private TransportLayer transport(String id, SelectionKey key, SocketChannel socket) throws IOException {
        if (tls == null)
            return new PlaintextTransportLayer(key);
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteAddress();
        SSLEngine engine = tls.createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(false);
        return SslTransportLayer.create(id, key, engine, new NoChannelMetadata());
    }

    /** Kafka's TLS layer reports the negotiated cipher here; nothing reads it. */
    private static final class NoChannelMetadata implements ChannelMetadataRegistry {
        @Override
        public void registerCipherInformation(CipherInformation cipherInformation) {
        }

        @Override
        public CipherInformation cipherInformation() {
            return null;
        }

        @Override
        public void registerClientInformation(ClientInformation clientInformation) {
        }

        @Override
        public ClientInformation clientInformation() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    /** After I/O on {@code connection} or a response to it: idle from now, unless a request is in progress. */
    private void trackActivity(KafkaConnection connection) {
        if (connection.closed() || connection.awaitingResponse())
            idle.remove(connection);
        else
            idle.touch(connection, System.nanoTime());
    }

    private void closeIdleConnections() {
        long now = System.nanoTime();
        KafkaConnection expired;
        while ((expired = idle.pollExpired(now)) != null)
            close(expired, Level.FINE, "idle for longer than connections.max.idle.ms");
    }

    private void close(KafkaConnection connection, Level level, String reason) {
        if (reason != null)
            LOG.log(level, () -> "Closing connection " + connection.id() + ": " + reason);
        bufferedReads.remove(connection);
        connection.close();
        idle.remove(connection);
        if (connections.remove(connection))
            limit.release();
    }

    private void closeUnregistered(SocketChannel socket) {
        closeQuietly(socket);
        limit.release();
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
