package dev.tributary.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's PostgreSQL (installed with apt-get when missing and we are
 * root), initialised in a temp directory, listening on a free port on 127.0.0.1 only, stopped and deleted on close.
 * Shared with the container tests through ejb-broker's test jar (only this package goes into it).
 */
public final class PostgresServer implements AutoCloseable {

    private final Path dir;
    private final Path bin;
    private final String host;
    private final int port;

    private PostgresServer(Path dir, Path bin, String host, int port) {
        this.dir = dir;
        this.bin = bin;
        this.host = host;
        this.port = port;
    }

    public static PostgresServer start() throws IOException, SQLException {
        return start("127.0.0.1", null);
    }

    /**
     * Listening on {@code address} (and 127.0.0.1) rather than loopback alone, trusting clients from
     * {@code trustedNetwork} (CIDR): for brokers in network namespaces of the test's own making.
     */
    public static PostgresServer start(String address, String trustedNetwork) throws IOException, SQLException {
        Path bin = binDirectory();
        Path dir = Files.createTempDirectory("tributary-pg-");
        int port = freePort();
        PostgresServer server = new PostgresServer(dir, bin, address, port);
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        server.asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=trust", "--no-sync");
        String listen = "127.0.0.1";
        if (trustedNetwork != null) {
            Files.writeString(dir.resolve("data").resolve("pg_hba.conf"), "host all all " + trustedNetwork
                    + " trust\n", StandardOpenOption.APPEND);
            listen = "127.0.0.1," + address;
        }
        server.asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=" + listen + " -c fsync=off", "start");
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "")) {
            admin.createStatement().execute("CREATE DATABASE tributary");
        }
        return server;
    }

    /** The database {@code tributary}, for the user {@code postgres} without a password. */
    public String jdbcUrl() {
        return jdbcUrl("tributary");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public void close() throws IOException {
        try {
            asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                    "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        run(full);
    }

    private static Path binDirectory() {
        DebianPackages.ensure(() -> newestInstalled() != null, "postgresql");
        return newestInstalled();
    }

    private static Path newestInstalled() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        run(new ProcessBuilder(command));
    }

    private static void run(ProcessBuilder command) {
        DebianPackages.run(command);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
