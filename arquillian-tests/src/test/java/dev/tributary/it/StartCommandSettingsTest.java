package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code bin/tributary start} turns its options, a {@code --config} file and the environment into the settings
 * the broker reads, through its dry run (which starts nothing): every key of the broker each way, and the order
 * between the ways. {@link StartCommandIT} shows a key set each way taking effect in a running broker.
 */
class StartCommandSettingsTest {

    /** Read by the REST API rather than the broker core. */
    private static final String SECURITY_ENABLED = "tributary.security.enabled";

    @TempDir
    Path dir;

    /** Every key the broker reads: BrokerSettings' constants, so that a new key is covered here without a word. */
    static List<String> keys() throws ClassNotFoundException, IllegalAccessException {
        TreeSet<String> keys = new TreeSet<>(List.of(SECURITY_ENABLED));
        for (Field field : Class.forName("dev.tributary.broker.boundary.BrokerSettings").getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                String value = (String) field.get(null);
                if (value.startsWith("tributary.")) {
                    keys.add(value);
                }
            }
        }
        assertTrue(keys.size() > 20, keys::toString);
        return List.copyOf(keys);
    }

    /** A distinct value per key that every check of the script accepts (ports are numbers, the data dir a path). */
    private static Map<String, String> values(String suffix) throws ReflectiveOperationException {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        for (String key : keys()) {
            values.put(key, key.equals("tributary.data.dir") ? "/srv/tributary-" + suffix : (1000 + i++) + suffix);
        }
        return values;
    }

    @Test
    void everyKeyCanBeSetInTheConfigFileWithSetAndWithD() throws Exception {
        Map<String, String> values = values("0");
        Path file = Files.writeString(dir.resolve("broker.properties"), values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "# all keys\n", "\n")));
        List<String> set = new ArrayList<>();
        List<String> d = new ArrayList<>();
        List<String> jvmOption = new ArrayList<>();
        values.forEach((key, value) -> {
            set.addAll(List.of("--set", key + "=" + value));
            d.add("-D" + key + "=" + value);
            jvmOption.addAll(List.of("--jvm-option", "-D" + key + "=" + value));
        });
        for (List<String> way : List.of(List.of("--config", file.toString()), set, d, jvmOption)) {
            assertEquals(expected(values), dryRun(Map.of(), way).settings(), way::toString);
        }
    }

    /** The environment outranks the file, so a key it sets is left to it; the command line outranks both. */
    @Test
    void theEnvironmentOverridesTheFileAndTheCommandLineOverridesBoth() throws Exception {
        Map<String, String> inFile = values("0");
        Path file = Files.writeString(dir.resolve("broker.properties"), inFile.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        Map<String, String> environment = new LinkedHashMap<>();
        values("1").forEach((key, value) -> environment.put(environmentName(key), value));

        Map<String, String> settings = dryRun(environment, List.of("--config", file.toString())).settings();
        assertEquals(Map.of("tributary.data.dir", "/srv/tributary-1"), settings,
                "only the data directory, resolved from the environment");

        settings = dryRun(environment, List.of("--config", file.toString(), "--set", "tributary.kafka.port=7",
                "--kafka-port", "8", "-Dtributary.db.user=from-d")).settings();
        assertEquals("8", settings.get("tributary.kafka.port"), "the later of two on the command line");
        assertEquals("from-d", settings.get("tributary.db.user"));
    }

    @Test
    void optionsStandForTheirKeys() throws Exception {
        Map<String, String> settings = dryRun(Map.of(), List.of("--data-dir", "relative", "--host", "10.0.0.7",
                "--http-port", "8081", "--kafka-port", "9093", "--kafka-advertised", "broker.example:19093",
                "--db-url", "jdbc:postgresql://db/t", "--db-user", "t", "--db-password", "secret",
                "--insecure")).settings();
        assertEquals(Map.ofEntries(Map.entry("tributary.data.dir", dir.resolve("relative").toString()),
                Map.entry("tributary.kafka.host", "10.0.0.7"), Map.entry("tributary.kafka.port", "9093"),
                Map.entry("tributary.kafka.advertised.host", "broker.example"),
                Map.entry("tributary.kafka.advertised.port", "19093"),
                Map.entry("tributary.db.url", "jdbc:postgresql://db/t"), Map.entry("tributary.db.user", "t"),
                Map.entry("tributary.db.password", "****"), Map.entry(SECURITY_ENABLED, "false"),
                Map.entry("tributary.http.url", "http://10.0.0.7:8081/")), settings);
    }

    @Test
    void passesOtherSystemPropertiesAndJvmOptionsToJava() throws Exception {
        String command = dryRun(Map.of(), List.of("-Dhazelcast.logging.type=jdk", "--jvm-option", "-Xmx3g"))
                .command();
        assertTrue(command.contains(" -Dhazelcast.logging.type=jdk ") && command.contains(" -Xmx3g "), command);
        assertTrue(command.indexOf(" -Xmx3g ") < command.indexOf(" -jar "), command);
    }

    /** An agent or a flight recording with the dynamic class-data archive crashes Java 17 as classes load. */
    @Test
    void leavesTheClassDataArchiveOutWhenAnAgentInstrumentsClasses() throws Exception {
        assertTrue(dryRun(Map.of(), List.of()).command().contains("SharedArchiveFile=")
                || dryRun(Map.of(), List.of()).command().contains("ArchiveClassesAtExit="));
        for (List<String> instrumented : List.of(List.of("--jvm-option", "-javaagent:/opt/apm/agent.jar"),
                List.of("--jvm-option", "-XX:StartFlightRecording=filename=start.jfr"))) {
            String command = dryRun(Map.of(), instrumented).command();
            assertFalse(command.contains("SharedArchiveFile=") || command.contains("ArchiveClassesAtExit="), command);
        }
        String command = dryRun(Map.of("JAVA_TOOL_OPTIONS", "-Xss2m -XX:StartFlightRecording"), List.of())
                .command();
        assertFalse(command.contains("SharedArchiveFile=") || command.contains("ArchiveClassesAtExit="), command);
    }

    @Test
    void refusesWhatItCannotReadTheWayJavaWould() throws Exception {
        Path escaped = Files.writeString(dir.resolve("escaped.properties"), "tributary.db.url=jdbc:h2:C:\\\\db\n");
        assertRefused(List.of("--config", escaped.toString()), "escaped.properties:1: backslash escapes");
        Path foreign = Files.writeString(dir.resolve("foreign.properties"), "\n\nlog.level=debug\n");
        assertRefused(List.of("--config", foreign.toString()), "foreign.properties:3: 'log.level' is not a"
                + " tributary.* setting");
        assertRefused(List.of("--set", "tributary.kafka.port="), "--set tributary.kafka.port= needs a value");
        assertRefused(List.of("--set", "tributary.kafka.port"), "--set needs KEY=VALUE");
    }

    /** The help names the pages that document it, which exist, and every flag docs/operations.md lists. */
    @Test
    void helpListsTheDocumentedFlagsAndPointsAtPagesThatExist() throws Exception {
        Result help = launcher(Map.of(), List.of("help"));
        assertEquals(0, help.status(), help.output());
        assertFalse(help.output().contains("README"), "the reference is in docs/: " + help.output());
        Path root = ItEnvironment.launcher().getParent().getParent();
        Matcher page = Pattern.compile("docs/[a-z-]+\\.md").matcher(help.output());
        int pages = 0;
        for (; page.find(); pages++) {
            assertTrue(Files.isRegularFile(root.resolve(page.group())), page.group());
        }
        assertTrue(pages > 0, help::output);
        Matcher flag = Pattern.compile("^\\| `(--?[a-zA-Z-]+)", Pattern.MULTILINE)
                .matcher(Files.readString(root.resolve("docs/operations.md")));
        int flags = 0;
        for (; flag.find(); flags++) {
            assertTrue(help.output().contains("  " + flag.group(1)), flag.group(1) + " in: " + help.output());
        }
        assertTrue(flags > 15, "flags in docs/operations.md: " + flags);
    }

    private static Map<String, String> expected(Map<String, String> values) {
        Map<String, String> expected = new LinkedHashMap<>();
        values.forEach((key, value) -> expected.put(key, key.contains("password") ? "****" : value));
        return expected;
    }

    /** MicroProfile Config's environment name of a key. */
    private static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private record DryRun(Map<String, String> settings, String command) {
    }

    private DryRun dryRun(Map<String, String> environment, List<String> args) throws IOException, InterruptedException {
        Result result = run(environment, args);
        assertEquals(0, result.status(), result.output());
        Map<String, String> settings = new LinkedHashMap<>();
        String command = null;
        boolean inSettings = false;
        for (String line : result.output().lines().toList()) {
            if (line.startsWith("# settings")) {
                inSettings = true;
            } else if (line.equals("# command")) {
                inSettings = false;
            } else if (inSettings) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (command == null) {
                command = " " + line + " ";
            }
        }
        assertTrue(command != null && command.contains(" -jar "), result.output());
        return new DryRun(settings, command);
    }

    private void assertRefused(List<String> args, String reason) throws IOException, InterruptedException {
        Result result = run(Map.of(), args);
        assertEquals(1, result.status(), result.output());
        List<String> lines = result.output().lines().toList();
        assertEquals(1, lines.size(), "one line: " + result.output());
        assertTrue(lines.get(0).startsWith("tributary: ") && lines.get(0).contains(reason), result.output());
    }

    private record Result(int status, String output) {
    }

    private Result run(Map<String, String> environment, List<String> args) throws IOException, InterruptedException {
        List<String> startArgs = new ArrayList<>(List.of("start", "--dry-run"));
        startArgs.addAll(args);
        return launcher(environment, startArgs);
    }

    private Result launcher(Map<String, String> environment, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ItEnvironment.launcher().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.toUpperCase(Locale.ROOT).startsWith("TRIBUTARY"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }
}
