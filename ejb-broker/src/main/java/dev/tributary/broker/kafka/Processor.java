package dev.tributary.broker.kafka;

import java.io.EOFException;
import java.io.IOException;
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
import org.apache.kafka.common.network.InvalidReceiveException;
import org.apache.kafka.common.network.Send;

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
    private final IdleConnections idle;
    private final ConnectionLimit limit;
    private final Queue<SocketChannel> newConnections = new ConcurrentLinkedQueue<>();
    private final Queue<Response> responses = new ConcurrentLinkedQueue<>();
    private final Set<KafkaConnection> connections = new HashSet<>();
    private long nextConnectionNumber;
    private volatile boolean running = true;

    Processor(int index, RequestDispatcher dispatcher, KafkaListenerConfig config, ConnectionLimit limit)
            throws IOException {
        this.index = index;
        this.dispatcher = dispatcher;
        this.maxRequestBytes = config.maxRequestBytes();
        this.saslMechanisms = config.saslMechanisms();
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
                selector.select(Math.min(SELECT_TIMEOUT_MS, idle.millisUntilNextExpiry(System.nanoTime())));
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    KafkaConnection connection = (KafkaConnection) key.attachment();
                    serve(connection, key);
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

    private void serve(KafkaConnection connection, SelectionKey key) {
        try {
            if (key.isReadable()) {
                ByteBuffer frame = connection.read();
                if (frame != null)
                    dispatch(connection, frame);
            }
            if (key.isValid() && key.isWritable()) {
                connection.writePending();
                closeIfRefused(connection);
            }
        } catch (EOFException e) {
            close(connection, Level.FINE, e.getMessage());
        } catch (InvalidReceiveException | CloseConnectionException e) {
            close(connection, Level.INFO, e.getMessage());
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
                if (failure instanceof CloseConnectionException)
                    close(connection, Level.INFO, failure.getMessage());
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
            } catch (IOException | CancelledKeyException e) {
                close(connection, Level.FINE, "I/O error on " + connection.id() + ": " + e);
            }
            trackActivity(connection);
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
                KafkaConnection connection = new KafkaConnection(id, socket, maxRequestBytes,
                        new ConnectionSession(saslMechanisms));
                connection.register(socket.register(selector, SelectionKey.OP_READ, connection));
                connections.add(connection);
                idle.touch(connection, System.nanoTime());
            } catch (IOException e) {
                LOG.log(Level.FINE, "Could not register a new connection", e);
                closeUnregistered(socket);
            }
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
        connection.close();
        idle.remove(connection);
        if (connections.remove(connection))
            limit.release();
    }

    private void closeUnregistered(SocketChannel socket) {
        closeQuietly(socket);
        limit.release();
    }

    int connectionCount() {
        return connections.size();
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
