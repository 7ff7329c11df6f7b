package dev.tributary.broker.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class that grows past {@value #LONG_LINES} lines is usually doing several jobs (docs/architecture.md): split it
 * by the concepts it holds, or, where one concept really needs the room, say why in a {@value #REASON} paragraph of
 * its class Javadoc, so the next reader does not have to guess. Past {@value #TOO_LONG_LINES} lines no reason holds.
 * Every module's main sources are checked.
 */
class ClassSizeTest {

    private static final int LONG_LINES = 500;
    private static final int TOO_LONG_LINES = 1000;
    private static final String REASON = "<p><b>Size.</b>";

    @Test
    void longClassesSayWhyAndNoneIsHuge() throws IOException {
        Map<String, Integer> unexplained = new TreeMap<>();
        Map<String, Integer> huge = new TreeMap<>();
        for (Path source : mainSources()) {
            List<String> lines = Files.readAllLines(source);
            String name = projectRoot().relativize(source).toString();
            if (lines.size() > TOO_LONG_LINES)
                huge.put(name, lines.size());
            else if (lines.size() > LONG_LINES && !headerOf(lines).contains(REASON))
                unexplained.put(name, lines.size());
        }
        assertTrue(huge.isEmpty(), () -> "Split these: " + huge);
        assertTrue(unexplained.isEmpty(), () -> "Split these, or say why they are long in a " + REASON
                + " paragraph of the class Javadoc: " + unexplained);
    }

    /** The file up to its first type declaration: imports and the class Javadoc. */
    private static String headerOf(List<String> lines) {
        StringBuilder header = new StringBuilder();
        for (String line : lines) {
            if (line.matches("^(public |final |abstract |sealed )*(class|interface|record|enum) .*"))
                break;
            header.append(line).append('\n');
        }
        return header.toString();
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> modules = Files.list(projectRoot())) {
            return modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(ClassSizeTest::javaFiles).toList();
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maven runs tests in the module's directory; the project is its parent. */
    private static Path projectRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
