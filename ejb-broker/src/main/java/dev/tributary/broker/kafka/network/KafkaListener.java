package dev.tributary.broker.kafka.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kafka-protocol network layer (Kafka's {@code SocketServer}): one acceptor thread and
 * {@link NetworkConfig#numProcessors()} {@link Processor} threads, each with its own selector; accepted
 * connections are handed to processors round-robin. Threads come from the injected {@link ThreadFactory}, so in a
 * Jakarta EE server they are container-managed.
 *
 * <p>A connection accepted while {@link NetworkConfig#maxConnections()} are open is closed at once, with a
 * log line (Kafka's acceptor waits for a free slot instead; closing tells a client at once to try elsewhere).
 */
public final class KafkaListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaListener.class.getName());
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private static final int BACKLOG = 128;

    private final ServerSocketChannel serverSocket;
    private final InetSocketAddress boundAddress;
    private final NetworkConfig config;
    private final ConnectionLimit connectionLimit;
    private final List<Processor> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    private KafkaListener(ServerSocketChannel serverSocket, NetworkConfig config) throws IOException {
        this.serverSocket = serverSocket;
        this.boundAddress = (InetSocketAddress) serverSocket.getLocalAddress();
        this.config = config;
        this.connectionLimit = new ConnectionLimit(config.maxConnections());
    }

    /**
     * Binds {@code config.host():config.port()}; connections queue in the backlog until {@link #start}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static KafkaListener bind(NetworkConfig config) {
        ServerSocketChannel serverSocket = null;
        try {
            serverSocket = ServerSocketChannel.open();
            serverSocket.bind(new InetSocketAddress(config.host(), config.port()), BACKLOG);
            return new KafkaListener(serverSocket, config);
        } catch (IOException e) {
            closeQuietly(serverSocket, e);
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port() + ": " + e, e);
        }
    }

    /** Starts the network threads and accepting. */
    public void start(RequestDispatcher dispatcher, ThreadFactory threadFactory) {
        try {
            for (int i = 0; i < config.numProcessors(); i++)
                processors.add(new Processor(i, dispatcher, config, connectionLimit));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Cannot open a selector: " + e, e);
        }
        for (int i = 0; i < processors.size(); i++)
            startThread(threadFactory, processors.get(i), "tributary-kafka-network-" + i);
        startThread(threadFactory, this::acceptLoop, "tributary-kafka-acceptor");
        LOG.info(() -> "Kafka listener on " + boundAddress + " with " + processors.size() + " network threads");
    }

    private static void closeQuietly(ServerSocketChannel serverSocket, IOException failure) {
        if (serverSocket == null)
            return;
        try {
            serverSocket.close();
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    /** Connections accepted and not yet closed. */
    public int openConnections() {
        return connectionLimit.open();
    }

    public int port() {
        return boundAddress.getPort();
    }

    private void startThread(ThreadFactory factory, Runnable task, String name) {
        Thread thread = factory.newThread(task);
        if (thread == null)
            throw new IllegalStateException("The thread factory refused to create " + name);
        try {
            thread.setName(name);
        } catch (SecurityException e) {
            // a managed thread factory may name its threads itself
        }
        threads.add(thread);
        thread.start();
    }

    private void acceptLoop() {
        int next = 0;
        while (!closed) {
            try {
                SocketChannel socket = serverSocket.accept();
                if (!connectionLimit.tryAcquire()) {
                    refuse(socket);
                    continue;
                }
                processors.get(next).accept(socket);
                next = (next + 1) % processors.size();
            } catch (ClosedChannelException e) {
                return; // close() closed the server socket
            } catch (IOException e) {
                // e.g. too many open files: back off a little instead of spinning
                LOG.log(Level.WARNING, "Accepting a connection failed", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void refuse(SocketChannel socket) {
        String client;
        try {
            client = String.valueOf(socket.getRemoteAddress());
        } catch (IOException e) {
            client = "a client";
        }
        String from = client;
        LOG.info(() -> "Refusing a connection from " + from + " to " + boundAddress + ": " + connectionLimit.max()
                + " connections are open, the listener's maximum (tributary.kafka.max.connections)");
        try {
            socket.close();
        } catch (IOException e) {
            // refused either way
        }
    }

    /** Stops accepting, closes every connection and waits for the network threads to end. */
    @Override
    public void close() {
        if (closed)
            return;
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Closing the server socket failed", e);
        }
        processors.forEach(Processor::shutdown);
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_TIMEOUT_MS);
                if (thread.isAlive())
                    LOG.warning(() -> "Network thread " + thread.getName() + " did not stop in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info(() -> "Kafka listener on " + boundAddress + " closed");
    }
}
