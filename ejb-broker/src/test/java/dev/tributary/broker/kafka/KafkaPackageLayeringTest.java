package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kafka packages depend on each other one way only: {@code network} on none of them, {@code security} on
 * {@code network}, {@code handlers} on both; only the top package ({@code KafkaServer}) wires all three together.
 * Checked on the sources, the way Kafka's import control checks imports: an import or a fully qualified name of
 * another kafka package counts, in code and in Javadoc alike.
 */
class KafkaPackageLayeringTest {

    private static final Path KAFKA_SOURCES = Path.of("src/main/java/dev/tributary/broker/kafka");
    /** A mention of a sub-package ({@code kafka.network.X}) or of a top-level class ({@code kafka.KafkaServer}). */
    private static final Pattern KAFKA_REFERENCE = Pattern.compile("\\bdev\\.tributary\\.broker\\.kafka\\.(\\w+)");
    private static final String TOP = "kafka";

    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "network", Set.of(),
            "security", Set.of("network"),
            "handlers", Set.of("network", "security"));

    @Test
    void eachSubPackageUsesOnlyTheKafkaPackagesBelowIt() throws IOException {
        try (Stream<Path> dirs = Files.list(KAFKA_SOURCES)) {
            Set<String> subPackages = new TreeSet<>(dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString()).toList());
            assertTrue(ALLOWED.keySet().containsAll(subPackages),
                    () -> "Say in this test where a new kafka package stands: " + subPackages);
        }
        for (Map.Entry<String, Set<String>> layer : ALLOWED.entrySet()) {
            Map<String, Set<String>> violations = new TreeMap<>();
            for (Path source : sources(layer.getKey())) {
                Set<String> used = referencedKafkaPackages(source);
                used.remove(layer.getKey());
                used.removeAll(layer.getValue());
                if (!used.isEmpty())
                    violations.put(source.getFileName().toString(), used);
            }
            assertTrue(violations.isEmpty(), () -> "kafka." + layer.getKey() + " may use only "
                    + layer.getValue() + " of the kafka packages, but: " + violations);
        }
    }

    private static List<Path> sources(String subPackage) throws IOException {
        try (Stream<Path> files = Files.list(KAFKA_SOURCES.resolve(subPackage))) {
            List<Path> sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
            assertFalse(sources.isEmpty(), "no sources in kafka." + subPackage + " under "
                    + KAFKA_SOURCES.toAbsolutePath());
            return sources;
        }
    }

    /** The kafka sub-packages {@code source} names, and {@value #TOP} for a class of the top package. */
    private static Set<String> referencedKafkaPackages(Path source) {
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> packages = new TreeSet<>();
        Matcher reference = KAFKA_REFERENCE.matcher(text);
        while (reference.find()) {
            String name = reference.group(1);
            packages.add(Character.isUpperCase(name.charAt(0)) ? TOP : name);
        }
        return packages;
    }
}
