package dev.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private network on this machine in which each broker has a network identity of its own, so that a test can cut
 * and heal links as a real network partition would: one Linux network namespace per broker, joined to a bridge in
 * the test's own namespace by a veth pair. Why namespaces rather than one Unix user per broker with iptables owner
 * rules: a namespace holds the whole network state of a broker (addresses, routes, sockets), so a cut is a route in
 * that namespace, it affects established connections and new ones alike, and deleting the namespace removes every
 * rule with it, even after a killed run; owner rules would need iptables (not installed everywhere) and leave
 * rules in the host's tables if the test dies.
 *
 * <p>Addresses, all inside the namespaces and the bridge this class makes (nothing leaves the machine; the broker
 * namespaces have no default route): broker {@code i} (1-based) has {@code 10.219.0.1i} for Kafka and HTTP,
 * {@code 10.219.1.1i} for the data grid and {@code 10.219.2.1i} on the database's subnet; the test's clients use
 * {@code 10.219.0.1} and PostgreSQL listens on {@link #DATABASE_HOST}, both in the test's namespace. A cut is a
 * {@code blackhole} route for the peer's address in the sending namespace: packets to it are dropped, so a
 * two-way cut puts one on each side and a one-way cut on one side only. Only {@code ip} (iproute2) is needed;
 * it is installed with apt-get if missing (the test runs as root, as CI does).
 *
 * <p>Not thread-safe: the test drives it from one thread.
 */
final class PartitionNetwork implements AutoCloseable {

    static final String DATABASE_HOST = "10.219.2.1";
    static final String CLIENT_HOST = "10.219.0.1";
    static final String TRUSTED_NETWORK = "10.219.0.0/16";
    private static final String PREFIX = "trib-pt";
    private static final String BRIDGE = PREFIX + "-br";

    private final int brokers;

    private PartitionNetwork(int brokers) {
        this.brokers = brokers;
    }

    /** Makes the network for {@code brokers} brokers, first removing what a killed earlier run left. */
    static PartitionNetwork create(int brokers) {
        if (brokers < 1 || brokers > 9)
            throw new IllegalArgumentException("1 to 9 brokers, not " + brokers);
        ensureIpInstalled();
        removeStale();
        PartitionNetwork network = new PartitionNetwork(brokers);
        try {
            ip("link", "add", BRIDGE, "type", "bridge");
            ip("addr", "add", CLIENT_HOST + "/24", "dev", BRIDGE);
            ip("addr", "add", DATABASE_HOST + "/24", "dev", BRIDGE);
            ip("addr", "add", "10.219.1.1/24", "dev", BRIDGE);
            ip("link", "set", BRIDGE, "up");
            for (int i = 1; i <= brokers; i++) {
                String ns = namespace(i);
                String hostSide = PREFIX + "-v" + i;
                ip("netns", "add", ns);
                ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
                ip("link", "set", hostSide, "master", BRIDGE);
                ip("link", "set", hostSide, "up");
                inNamespace(ns, "link", "set", "lo", "up");
                inNamespace(ns, "addr", "add", serviceHost(i) + "/24", "dev", "eth0");
                inNamespace(ns, "addr", "add", gridHost(i) + "/24", "dev", "eth0");
                inNamespace(ns, "addr", "add", "10.219.2.1" + i + "/24", "dev", "eth0");
                inNamespace(ns, "link", "set", "eth0", "up");
            }
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    static String namespace(int broker) {
        return PREFIX + "-b" + broker;
    }

    /** Where broker {@code i} serves Kafka and HTTP. */
    static String serviceHost(int broker) {
        return "10.219.0.1" + broker;
    }

    /** Broker {@code i}'s data-grid address. */
    static String gridHost(int broker) {
        return "10.219.1.1" + broker;
    }

    /** The command prefix that runs a process in broker {@code i}'s namespace. */
    static List<String> runIn(int broker) {
        return List.of("ip", "netns", "exec", namespace(broker));
    }

    /** Broker {@code i} can reach no one and no one can reach it: clients, brokers, database. */
    void isolate(int broker) {
        for (int other = 1; other <= brokers; other++) {
            if (other == broker)
                continue;
            dropFromTo(broker, serviceHost(other), gridHost(other));
            dropFromTo(other, serviceHost(broker), gridHost(broker));
        }
        dropFromTo(broker, CLIENT_HOST, DATABASE_HOST, "10.219.1.1");
    }

    /** Only the data grid: broker {@code i} and the others cannot reach each other's grid ports. */
    void cutGrid(int broker) {
        for (int other = 1; other <= brokers; other++) {
            if (other == broker)
                continue;
            dropFromTo(broker, gridHost(other));
            dropFromTo(other, gridHost(broker));
        }
    }

    /** Only the metadata database: nothing broker {@code i} sends to it arrives, so no transaction completes. */
    void cutDatabase(int broker) {
        dropFromTo(broker, DATABASE_HOST);
    }

    /**
     * One way: broker {@code i} still receives from the other brokers, but nothing it sends them arrives (its
     * grid heartbeats and fetch responses are lost; requests to it still arrive).
     */
    void cutOutgoingToBrokers(int broker) {
        for (int other = 1; other <= brokers; other++) {
            if (other != broker)
                dropFromTo(broker, serviceHost(other), gridHost(other));
        }
    }

    /** Removes every cut. */
    void heal() {
        for (int i = 1; i <= brokers; i++)
            inNamespace(namespace(i), "route", "flush", "type", "blackhole");
    }

    private static void dropFromTo(int broker, String... addresses) {
        for (String address : addresses)
            inNamespace(namespace(broker), "route", "replace", "blackhole", address + "/32");
    }

    /** Deletes the namespaces (with their veth ends and routes) and the bridge. */
    @Override
    public void close() {
        removeStale();
    }

    /**
     * Deletes this harness's namespaces, ending first what still runs in them (brokers of a run that was killed
     * before it could stop them: a namespace lives on while a process is in it).
     */
    private static void removeStale() {
        for (String ns : output("ip", "netns", "list").lines().map(line -> line.split("\\s+")[0])
                .filter(name -> name.startsWith(PREFIX)).toList()) {
            for (String pid : output("ip", "netns", "pids", ns).lines().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList())
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            runQuietly("ip", "netns", "delete", ns);
        }
        for (String link : output("ip", "-o", "link", "show").lines()
                .map(line -> line.split(":\\s+")[1].split("@")[0]).filter(name -> name.startsWith(PREFIX)).toList())
            runQuietly("ip", "link", "delete", link);
    }

    private static void inNamespace(String ns, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void ensureIpInstalled() {
        if (runQuietly("ip", "-V"))
            return;
        ProcessBuilder install = new ProcessBuilder("apt-get", "install", "-y", "-q", "iproute2");
        install.environment().put("DEBIAN_FRONTEND", "noninteractive");
        run(install);
    }

    private static boolean runQuietly(String... command) {
        try {
            run(new ProcessBuilder(command));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void run(List<String> command) {
        run(new ProcessBuilder(command));
    }

    private static String output(String... command) {
        return run(new ProcessBuilder(command));
    }

    private static String run(ProcessBuilder command) {
        try {
            Process process = command.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
                throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
