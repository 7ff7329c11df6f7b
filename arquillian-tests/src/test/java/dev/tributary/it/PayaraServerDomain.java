package dev.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A throwaway Payara Server domain (full profile) of the test's own: created with asadmin in a fresh work directory
 * on a free port range, bound to 127.0.0.1 only, started, and on close stopped again, or killed by pid if it will
 * not stop, so that no server outlives the test. Instances it creates (on a local node in the work directory, each
 * in a free port range of its own) are stopped and, failing that, killed with it.
 *
 * <p>Before the first start the new domain's {@code domain.xml} is edited (asadmin cannot change an offline domain),
 * in server-config (the DAS) and default-config (what each instance's configuration is copied from): HTTP, HTTPS,
 * admin and IIOP listeners on loopback; the JMX connector, the embedded JMS broker (whose lazy-start proxy binds
 * every interface) and phone-home off; HTTP/2 off on the HTTP listener, as the product's Payara Micro configuration
 * has it; the connector class-loading policy {@code global}, as docs/jakarta-ee.md tells users to set it; the
 * broker's {@code tributary.data.dir} in the work directory (the DAS) or each instance's root (instances). The
 * Hazelcast data grid is off, or, for {@link #startWithDataGrid()}, on loopback within the domain's port range.
 */
final class PayaraServerDomain implements AutoCloseable {

    private static final String DOMAIN_NAME = "tributary-it";
    /** The node (a CONFIG node: local, no SSH) instances are created on, in the work directory. */
    private static final String NODE = "tributary-node";
    private static final String LOOPBACK = "127.0.0.1";
    /** create-domain --portbase takes base+9 (debugger) up to base+86 (JMX): HTTP +80, HTTPS +81, admin +48. */
    private static final int PORT_RANGE = 100;
    /** Port bases are drawn below Linux's ephemeral range (32768+), so no outgoing connection takes one meanwhile. */
    private static final int LOWEST_PORT_BASE = 10_000;
    private static final int HIGHEST_PORT_BASE = 32_600;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(20);

    private final Path workDir;
    private final Path domainDir;
    private final Path dataDir;
    private final int portBase;
    private final boolean dataGrid;
    private final List<String> instances = new CopyOnWriteArrayList<>();
    private final Thread killOnExit = new Thread(this::kill, "kill " + DOMAIN_NAME);

    private PayaraServerDomain(Path workDir, int portBase, boolean dataGrid) {
        this.workDir = workDir;
        this.dataGrid = dataGrid;
        this.domainDir = workDir.resolve(DOMAIN_NAME);
        this.dataDir = workDir.resolve("data");
        this.portBase = portBase;
    }

    /** Creates, configures and starts a new domain; if any step fails, nothing is left running. */
    static PayaraServerDomain start() {
        return start(false);
    }

    /**
     * As {@link #start()}, with Payara's Domain Data Grid on (on loopback, in this domain's port range), for
     * instances of a deployment group that form one Tributary cluster; the DAS runs no broker then.
     */
    static PayaraServerDomain startWithDataGrid() {
        return start(true);
    }

    private static PayaraServerDomain start(boolean dataGrid) {
        PayaraServerDomain domain = new PayaraServerDomain(ItEnvironment.workDir("payara-domain"), freePortBase(),
                dataGrid);
        // Should the test JVM be ended early (failsafe's timeout, Ctrl-C), the detached server goes with it.
        Runtime.getRuntime().addShutdownHook(domain.killOnExit);
        try {
            domain.asadmin(COMMAND_TIMEOUT, List.of(), "create-domain", "--domaindir", domain.workDir.toString(),
                    "--portbase", Integer.toString(domain.portBase), "--checkports=true",
                    "--nopassword=true", "--savelogin=false", DOMAIN_NAME);
            domain.configure();
            domain.asadmin(COMMAND_TIMEOUT, List.of(), "start-domain", "--domaindir", domain.workDir.toString(),
                    DOMAIN_NAME);
        } catch (RuntimeException | Error e) {
            try {
                domain.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return domain;
    }

    /**
     * Deploys an application (EAR, WAR, RAR) under {@code name}, or deploys it again over the one of that name
     * ({@code deploy --force}: the server undeploys the old one first), and returns once the server reports it
     * started.
     */
    void deploy(Path archive, String name) {
        run("deploy", "--force=true", "--name", name, archive.toString());
    }

    /** An instance of this domain: its name and the port range its ports were given from. */
    record Instance(String name, int portBase) {
        int httpPort() {
            return portBase + 80;
        }

        /** The instance's broker's Kafka listener, unused by Payara in that range. */
        int kafkaPort() {
            return portBase + 90;
        }
    }

    /**
     * Creates an instance on a node in this domain's work directory, with its own free port range, its own Kafka
     * port and {@code jvmOptions} (in its own configuration, copied from default-config), in deployment group
     * {@code group}. Not started.
     */
    Instance createInstance(String name, String group, List<String> jvmOptions) {
        Path nodes = workDir.resolve("nodes");
        if (!Files.isDirectory(nodes.resolve(NODE))) {
            run("create-node-config", "--nodedir", nodes.toString(), "--nodehost", "localhost", NODE);
        }
        Instance instance = new Instance(name, freePortBase());
        run("create-local-instance", "--node", NODE, "--nodedir", nodes.toString(), "--portbase",
                Integer.toString(instance.portBase()), "--checkports=true", name);
        instances.add(name);
        run("add-instance-to-deployment-group", "--instance", name, "--deploymentgroup", group);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dtributary.kafka.port=" + instance.kafkaPort());
        for (String option : options) {
            // asadmin splits JVM options at unescaped colons.
            run("create-jvm-options", "--target", name + "-config", option.replace(":", "\\:"));
        }
        return instance;
    }

    Path instanceLog(String name) {
        return instanceRoot(name).resolve("logs").resolve("server.log");
    }

    private Path instanceRoot(String name) {
        return workDir.resolve("nodes").resolve(NODE).resolve(name);
    }

    /** Runs an asadmin subcommand against this running domain; fails with asadmin's output if it fails. */
    void run(String subcommand, String... arguments) {
        asadmin(COMMAND_TIMEOUT, List.of("--host", LOOPBACK, "--port", Integer.toString(adminPort())),
                subcommand, arguments);
    }

    /** What the server has logged so far: server.log and the files it was rotated into (at 2 MB). */
    String serverLogText() {
        try (Stream<Path> files = Files.list(serverLog().getParent())) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("server.log")).sorted().toList()) {
                text.append(Files.readString(file));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code uri}, as the test administrator, until it answers 200; fails at the deadline or if the server
     * goes away.
     */
    void awaitOk(URI uri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ItEnvironment.ADMIN
                        + ":" + ItEnvironment.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (serverProcess().isEmpty()) {
                throw new IllegalStateException("Payara Server is not running; see " + serverLog());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(uri + " not ready within " + READY_TIMEOUT + " (last: " + last + "); see "
                + serverLog());
    }

    int httpPort() {
        return portBase + 80;
    }

    /** The broker's Kafka listener: inside the range {@link #freePortBase()} checked, unused by Payara. */
    int kafkaPort() {
        return portBase + 90;
    }

    int adminPort() {
        return portBase + 48;
    }

    /** What the broker gets as {@code tributary.data.dir}. */
    Path dataDir() {
        return dataDir;
    }

    Path serverLog() {
        return domainDir.resolve("logs").resolve("server.log");
    }

    /** stop-domain, then makes sure: whatever of this domain still runs is killed by pid (and reported). */
    @Override
    public void close() {
        try {
            stopInstances();
            Optional<ProcessHandle> server = serverProcess();
            if (server.isEmpty()) {
                return;
            }
            String problem = null;
            try {
                asadmin(STOP_TIMEOUT, List.of(), "stop-domain", "--domaindir", workDir.toString(), DOMAIN_NAME);
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            if (!awaitExit(server.get(), KILL_TIMEOUT)) {
                kill();
                problem = (problem == null ? "" : problem + "; ") + "Payara Server (pid " + server.get().pid()
                        + ") did not stop and was killed";
            }
            if (problem != null) {
                throw new IllegalStateException(problem + "; see " + serverLog());
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
    }

    /**
     * Edits the new domain's configuration before its first start (see the class comment). The server rewrites
     * domain.xml in its own form once it runs, so the formatting written here does not matter.
     */
    private void configure() {
        Path file = domainDir.resolve("config").resolve("domain.xml");
        try {
            Files.createDirectories(dataDir);
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            XPath xpath = XPathFactory.newInstance().newXPath();
            Element config = (Element) xpath.evaluate("/domain/configs/config[@name='server-config']", xml,
                    XPathConstants.NODE);
            Element instanceTemplate = (Element) xpath.evaluate("/domain/configs/config[@name='default-config']", xml,
                    XPathConstants.NODE);
            if (config == null || instanceTemplate == null) {
                throw new IllegalStateException("no server-config or default-config in " + file);
            }
            // default-config is what each instance's own configuration is copied from.
            for (Element each : List.of(config, instanceTemplate)) {
                configureServer(each, xpath, file);
            }
            if (dataGrid) {
                Element grid = (Element) xpath.evaluate("/domain/hazelcast-runtime-configuration", xml,
                        XPathConstants.NODE);
                grid.setAttribute("interface", LOOPBACK);
                grid.setAttribute("das-bind-address", LOOPBACK);
                grid.setAttribute("das-public-address", LOOPBACK);
                grid.setAttribute("das-port", Integer.toString(portBase + 95));
                grid.setAttribute("start-port", Integer.toString(portBase + 96));
                grid.setAttribute("discovery-mode", "domain");
            } else {
                child(config, "hazelcast-config-specific-configuration").setAttribute("enabled", "false");
            }
            addJvmOptions(config, List.of("-Dtributary.data.dir=" + dataDir.toAbsolutePath(),
                    "-Dtributary.kafka.port=" + kafkaPort()));
            addJvmOptions(instanceTemplate, List.of("-Dtributary.data.dir=${com.sun.aas.instanceRoot}/tributary"));
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(xml),
                    new StreamResult(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot configure " + file, e);
        }
    }

    /** What every server of the domain (the DAS, and each instance through default-config) gets. */
    private static void configureServer(Element config, XPath xpath, Path file) throws Exception {
        setAll(config, "network-listener", "address", LOOPBACK);
        setAll(config, "iiop-listener", "address", LOOPBACK);
        setAll(config, "jmx-connector", "address", LOOPBACK);
        setAll(config, "jmx-connector", "enabled", "false");
        // HTTP/1.1 only, as config/payara-micro/pre-boot-commands.asadmin has it for Payara Micro: over an h2c
        // upgrade (what Java's HttpClient asks for), Grizzly leaves a client whose oversized upload it refused
        // waiting forever instead of answering 413.
        Element http = (Element) xpath.evaluate("network-config/protocols/protocol[@name='http-listener-1']/http",
                config, XPathConstants.NODE);
        if (http == null) {
            throw new IllegalStateException("no http-listener-1 protocol in " + config.getAttribute("name")
                    + " of " + file);
        }
        http.setAttribute("http2-enabled", "false");
        child(config, "jms-service").setAttribute("type", "DISABLED");
        // A standalone tributary-jca.rar is seen by every application (the broker's EAR included), as the
        // documentation tells users to configure it.
        child(config, "connector-service").setAttribute("class-loading-policy", "global");
        child(config, "phone-home-runtime-configuration").setAttribute("enabled", "false");
        addJvmOptions(config, List.of("-Dtributary.admin.password=" + ItEnvironment.ADMIN_PASSWORD,
                // A server that lives for a few minutes starts and deploys faster on C1 alone.
                "-XX:TieredStopAtLevel=1"));
    }

    private static void addJvmOptions(Element config, List<String> options) {
        Element javaConfig = child(config, "java-config");
        for (String option : options) {
            javaConfig.appendChild(config.getOwnerDocument().createElement("jvm-options")).setTextContent(option);
        }
    }

    private static void setAll(Element config, String element, String attribute, String value) {
        NodeList elements = config.getElementsByTagName(element);
        for (int i = 0; i < elements.getLength(); i++) {
            ((Element) elements.item(i)).setAttribute(attribute, value);
        }
    }

    /** The element's child of that name, added if the template has none. */
    private static Element child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        Element added = parent.getOwnerDocument().createElement(name);
        parent.appendChild(added);
        return added;
    }

    /**
     * Runs the distribution's asadmin client (what bin/asadmin runs, but on this JVM's Java, so that the unpacked
     * scripts need no execute bit) with its output in the work directory and its ~/.gfclient cache there too.
     */
    private void asadmin(Duration timeout, List<String> programOptions, String subcommand, String... arguments) {
        Path output = workDir.resolve("asadmin-" + subcommand + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + workDir.resolve("asadmin-home"),
                "-jar", ItEnvironment.payaraServerHome().resolve("glassfish/lib/client/appserver-cli.jar").toString(),
                "--interactive=false"));
        command.addAll(programOptions);
        command.add(subcommand);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // AS_ADMIN_PORT and friends in the environment would point asadmin at someone else's domain.
        builder.environment().keySet().removeIf(name -> name.startsWith("AS_ADMIN_"));
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("asadmin " + subcommand + " did not finish within " + timeout
                        + ":\n" + Files.readString(output).strip()
                        + (Files.exists(serverLog()) ? "\nserver log: " + serverLog() : ""));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("asadmin " + subcommand + " failed (exit " + process.exitValue()
                        + "):\n" + Files.readString(output).strip()
                        + (Files.exists(serverLog()) ? "\nserver log: " + serverLog() : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * This domain's server JVM: the pid the server records, or failing that (it died or is still starting) any
     * process started with this domain's unique directory as its instance root. Never anyone else's process.
     */
    private Optional<ProcessHandle> serverProcess() {
        String instanceRoot = "-Dcom.sun.aas.instanceRoot=" + realPath(domainDir);
        Optional<ProcessHandle> recorded = readPid().flatMap(ProcessHandle::of)
                .filter(p -> runsThisDomain(p, instanceRoot));
        return recorded.isPresent() ? recorded
                : ProcessHandle.allProcesses().filter(p -> runsThisDomain(p, instanceRoot)).findFirst();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException notThere) {
            return path.toAbsolutePath();
        }
    }

    private static boolean runsThisDomain(ProcessHandle process, String instanceRoot) {
        return process.isAlive() && arguments(process).contains(instanceRoot);
    }

    /** ProcessHandle.Info drops the arguments of a command line over 4 KiB, as the server's is: /proc has them. */
    private static List<String> arguments(ProcessHandle process) {
        try {
            byte[] commandLine = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(commandLine, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException noProcFileSystem) {
            return process.info().arguments().map(List::of).orElse(List.of());
        }
    }

    private Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(domainDir.resolve("config").resolve("pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** stop-instance for each instance, then kills by pid whatever of them still runs. */
    private void stopInstances() {
        for (String name : instances) {
            try {
                run("stop-instance", name);
            } catch (RuntimeException notRunning) {
                // stopped already, or the DAS is gone: the kill below makes sure
            }
        }
        killInstances();
    }

    private void killInstances() {
        for (String name : instances) {
            String root = "-Dcom.sun.aas.instanceRoot=" + realPath(instanceRoot(name));
            ProcessHandle.allProcesses().filter(p -> runsThisDomain(p, root)).forEach(process -> {
                process.destroyForcibly();
                awaitExit(process, KILL_TIMEOUT);
            });
        }
    }

    /** Last resort, also the shutdown hook: SIGKILL to this domain's server and its instances, by pid. */
    private void kill() {
        killInstances();
        serverProcess().ifPresent(server -> {
            server.destroyForcibly();
            awaitExit(server, KILL_TIMEOUT);
        });
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stillRunning) {
            // answered below
        }
        return !process.isAlive();
    }

    /** A base whose whole range of ports is free on loopback right now; create-domain --checkports checks again. */
    private static int freePortBase() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = PORT_RANGE * random.nextInt(LOWEST_PORT_BASE / PORT_RANGE, HIGHEST_PORT_BASE / PORT_RANGE + 1);
            if (rangeIsFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("No free range of " + PORT_RANGE + " ports on " + LOOPBACK);
    }

    private static boolean rangeIsFree(int base) {
        for (int port = base; port < base + PORT_RANGE; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
