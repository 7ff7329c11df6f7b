package dev.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A broker as `bin/tributary start` runs it (Payara Micro; tributary-jca.rar and the server-wide connection factory
 * by the post-boot commands, then tributary.war, then any applications deployed beside it) in its own process, so
 * a test can stop it cleanly, kill it, and start it again over the same data directory.
 */
final class MicroBroker implements AutoCloseable {

    /** Generous: on a two-core machine shared with other builds a Payara Micro start has taken over two minutes. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(300);

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final int kafkaPort;
    private final List<Path> applications;
    private final Path postBootCommands;
    private final Tls tls;
    private final Optional<GridMember> grid;
    private final Optional<String> dbUrl;
    /** Where its listeners are reached, and what runs it (a network namespace's {@code ip netns exec}). */
    private final String host;
    private final String gridInterface;
    private final List<String> commandPrefix;
    private final List<String> extraJvmOptions;
    private Process process;

    /** TLS as {@code bin/tributary start --keystore} sets it up: HTTPS and the Kafka listener from one key store. */
    record Tls(Path keyStore, String password, String alias, int httpsPort) {
    }

    private MicroBroker(Path dataDir, Path logFile, int port, int kafkaPort, List<Path> applications,
                        Path postBootCommands, Tls tls, Optional<GridMember> grid, Optional<String> dbUrl) {
        this(dataDir, logFile, port, kafkaPort, applications, postBootCommands, tls, grid, dbUrl, "127.0.0.1",
                "127.0.0.1", List.of(), List.of());
    }

    private MicroBroker(Path dataDir, Path logFile, int port, int kafkaPort, List<Path> applications,
                        Path postBootCommands, Tls tls, Optional<GridMember> grid, Optional<String> dbUrl,
                        String host, String gridInterface, List<String> commandPrefix,
                        List<String> extraJvmOptions) {
        this.host = host;
        this.gridInterface = gridInterface;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.extraJvmOptions = List.copyOf(extraJvmOptions);
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.kafkaPort = kafkaPort;
        this.applications = List.copyOf(applications);
        this.postBootCommands = postBootCommands;
        this.tls = tls;
        this.grid = grid;
        this.dbUrl = dbUrl;
    }

    static MicroBroker startWithTls(Path dataDir, Path logFile, Path keyStore, String password, String alias) {
        MicroBroker broker = new MicroBroker(dataDir, logFile, ItEnvironment.freePort(), ItEnvironment.freePort(),
                List.of(), ItEnvironment.microConfig("post-boot-commands.asadmin"),
                new Tls(keyStore, password, alias, ItEnvironment.freePort()), Optional.empty(), Optional.empty());
        broker.launch();
        return broker;
    }

    /**
     * A member of Payara's data grid, as {@code bin/tributary start --cluster MEMBERS --grid-port N --host
     * 127.0.0.1} runs one.
     *
     * @param members Payara's {@code --clustermode}, e.g. {@code tcpip:127.0.0.1:6900,127.0.0.1:6901}
     * @param port    this member's grid port ({@code --startport})
     */
    record GridMember(String members, int port) {
    }

    /**
     * A broker in the data grid with its metadata in {@code dbUrl} (user {@code postgres}, no password), or in its
     * embedded H2 database if empty; ready once it answers.
     */
    static MicroBroker startInGrid(Path dataDir, Path logFile, GridMember grid, Optional<String> dbUrl) {
        MicroBroker broker = launchInGrid(dataDir, logFile, grid, dbUrl);
        broker.awaitReady();
        return broker;
    }

    /**
     * A broker of a {@link PartitionNetwork}: run in its network namespace by {@code commandPrefix}, its Kafka and
     * HTTP listeners on {@code host}, its grid member on {@code grid}'s interface (every grid member listens on
     * the same port, each at its own address), with {@code jvmOptions} added (settings the test derives its
     * timeouts from). Returns once it answers.
     */
    static MicroBroker startInNamespace(Path dataDir, Path logFile, List<String> commandPrefix, String host,
                                        GridMember grid, String gridInterface, String dbUrl,
                                        List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dtributary.kafka.host=" + host);
        MicroBroker broker = new MicroBroker(dataDir, logFile, 8080, 9092, List.of(),
                ItEnvironment.microConfig("post-boot-commands.asadmin"), null, Optional.of(grid), Optional.of(dbUrl),
                host, gridInterface, commandPrefix, options);
        broker.launch();
        return broker;
    }

    /** As {@link #startInGrid}, but returns at once: for a broker whose start is expected to fail. */
    static MicroBroker launchInGrid(Path dataDir, Path logFile, GridMember grid, Optional<String> dbUrl) {
        MicroBroker broker = new MicroBroker(dataDir, logFile, ItEnvironment.freePort(), ItEnvironment.freePort(),
                List.of(), ItEnvironment.microConfig("post-boot-commands.asadmin"), null, Optional.of(grid), dbUrl);
        broker.spawn();
        return broker;
    }

    static MicroBroker start(Path dataDir, Path logFile) {
        return start(dataDir, logFile, List.of());
    }

    /** As {@link #start(Path, Path)}, but returns at once: for a broker whose start is expected to fail. */
    static MicroBroker launch(Path dataDir, Path logFile) {
        MicroBroker broker = new MicroBroker(dataDir, logFile, ItEnvironment.freePort(), ItEnvironment.freePort(),
                List.of(), ItEnvironment.microConfig("post-boot-commands.asadmin"), null, Optional.empty(),
                Optional.empty());
        broker.spawn();
        return broker;
    }

    /**
     * With {@code applications} deployed after the broker (as {@code bin/tributary start --deploy} does); ready
     * once the broker answers (the applications may still be deploying).
     */
    static MicroBroker start(Path dataDir, Path logFile, List<Path> applications) {
        return start(dataDir, logFile, applications, List.of());
    }

    /**
     * With {@code configCommands} (asadmin commands) run before the post-boot commands that deploy the adapter,
     * as an operator would add them to {@code config/payara-micro/post-boot-commands.asadmin}.
     */
    static MicroBroker start(Path dataDir, Path logFile, List<Path> applications, List<String> configCommands) {
        Path postBoot = ItEnvironment.microConfig("post-boot-commands.asadmin");
        if (!configCommands.isEmpty()) {
            try {
                Path configured = Files.createDirectories(dataDir).resolve("post-boot-commands.asadmin");
                List<String> commands = new ArrayList<>(configCommands);
                commands.addAll(Files.readAllLines(postBoot));
                postBoot = Files.write(configured, commands);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        MicroBroker broker = new MicroBroker(dataDir, logFile, ItEnvironment.freePort(), ItEnvironment.freePort(),
                applications, postBoot, null, Optional.empty(), Optional.empty());
        broker.launch();
        return broker;
    }

    /** The root URI of the server's HTTPS listener (started with TLS only). */
    URI httpsBase() {
        return URI.create("https://" + host + ":" + tls.httpsPort() + "/");
    }

    /** The root URI of the server's HTTP listener. */
    URI serverBase() {
        return URI.create("http://" + host + ":" + port + "/");
    }

    URI apiBase() {
        return URI.create("http://" + host + ":" + port + "/api/v1/");
    }

    String kafkaBootstrap() {
        return host + ":" + kafkaPort;
    }

    RestClient client() {
        return new RestClient(apiBase());
    }

    /** SIGTERM, as Ctrl-C or a service manager would stop it; waits for a clean exit. */
    void stop() {
        process.destroy();
        awaitExit();
    }

    /** SIGKILL: no shutdown hooks, no clean-shutdown markers. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Starts again over the same data directory (and port). */
    void restart() {
        launch();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the server's log contains {@code text}; false if it does not within {@code timeout}. */
    boolean awaitLog(String text, Duration timeout) {
        return poll(timeout, () -> {
            try {
                return Files.exists(logFile) && Files.readString(logFile).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Polls {@code condition} every 250 ms until it holds or {@code timeout} passes. */
    static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    private void launch() {
        spawn();
        awaitReady();
    }

    private void spawn() {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtributary.data.dir=" + dataDir,
                "-Dtributary.kafka.port=" + kafkaPort,
                "-Dtributary.http.url=http://" + host + ":" + port + "/",
                "-Dtributary.admin.password=" + ItEnvironment.ADMIN_PASSWORD));
        dbUrl.ifPresent(url -> command.addAll(List.of("-Dtributary.db.url=" + url, "-Dtributary.db.user=postgres")));
        if (grid.isPresent()) {
            // A killed member's TCP connections reset at once on one host; the heartbeat bounds a silent failure.
            command.addAll(List.of("-Dhazelcast.heartbeat.interval.seconds=1",
                    "-Dhazelcast.max.no.heartbeat.seconds=10",
                    // as bin/tributary sets them: a split grid merges within seconds of the heal
                    "-Dhazelcast.merge.first.run.delay.seconds=5", "-Dhazelcast.merge.next.run.delay.seconds=5"));
        }
        command.addAll(extraJvmOptions);
        // e.g. -Dtributary.it.broker.jvmOptions="-XX:StartFlightRecording=filename=/tmp/broker.jfr" to profile
        String jvmOptions = System.getProperty("tributary.it.broker.jvmOptions", "").strip();
        if (!jvmOptions.isEmpty())
            command.addAll(List.of(jvmOptions.split("\\s+")));
        command.addAll(tlsJvmOptions());
        command.addAll(List.of("-jar", ItEnvironment.microJar().toString()));
        command.addAll(grid.map(member -> List.of("--clustermode", member.members(), "--interfaces", gridInterface,
                "--startport", Integer.toString(member.port()))).orElse(List.of("--nohazelcast")));
        deleteRuntimeDir();
        command.addAll(List.of("--disablephonehome",
                "--rootdir", runtimeDir().toString(),
                "--port", Integer.toString(port),
                "--prebootcommandfile", preBootCommands().toString(),
                "--postbootcommandfile", postBootCommands.toString(),
                "--logproperties", ItEnvironment.microConfig("logging.properties").toString(),
                "--deploy", ItEnvironment.deployment("tributary.war").toString()));
        applications.forEach(application -> command.addAll(List.of("--deploy", application.toString())));
        command.addAll(tlsMicroOptions());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The pre-boot commands as the build filled them in (listeners bound to 127.0.0.1), or for a broker reached
     * at another address, the same bound to that address, as {@code bin/tributary start --host} writes them.
     */
    private Path preBootCommands() {
        Path built = ItEnvironment.microConfig("pre-boot-commands.asadmin");
        if (host.equals("127.0.0.1"))
            return built;
        try {
            return Files.writeString(Files.createDirectories(dataDir).resolve("pre-boot-commands.asadmin"),
                    Files.readString(built).replace("127.0.0.1", host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> tlsJvmOptions() {
        return tls == null ? List.of() : List.of("-Dtributary.kafka.ssl.keystore.location=" + tls.keyStore(),
                "-Dtributary.kafka.ssl.keystore.password=" + tls.password());
    }

    /** Payara's HTTPS key store comes from javax.net.ssl system properties, read from a file as bin/tributary does. */
    private List<String> tlsMicroOptions() {
        if (tls == null) {
            return List.of();
        }
        try {
            Path properties = Files.writeString(Files.createDirectories(dataDir).resolve("tls.properties"),
                    "javax.net.ssl.keyStore=" + tls.keyStore() + "\njavax.net.ssl.keyStorePassword=" + tls.password()
                            + "\njavax.net.ssl.keyStoreType=PKCS12\n");
            return List.of("--sslport", Integer.toString(tls.httpsPort()), "--sslcert", tls.alias(),
                    "--systemproperties", properties.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the API until it answers; fails fast if the process dies. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                // Any answer from the API means it is deployed (401 as well: the security check sits in front).
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(apiBase().resolve("topics")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Broker not ready within " + STARTUP_TIMEOUT + "; see " + logFile);
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new IllegalStateException("Payara Micro did not stop within 60 s; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        deleteRuntimeDir();
    }

    /**
     * Where this broker's Payara Micro unpacks itself (190 MB): beside its data directory, and removed once the
     * process is gone. Without {@code --rootdir} every start left a copy in the temp directory, which a killed
     * process never removes; a full suite filled the disk with them.
     */
    private Path runtimeDir() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-payara-micro");
    }

    private void deleteRuntimeDir() {
        if (!Files.exists(runtimeDir()))
            return;
        try (Stream<Path> files = Files.walk(runtimeDir())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList())
                Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + runtimeDir(), e);
        }
    }

}
