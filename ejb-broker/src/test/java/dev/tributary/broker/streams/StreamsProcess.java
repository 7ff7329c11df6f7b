package dev.tributary.broker.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@link WordCountApp} in a JVM of its own on the test's classpath, so that a test can kill it (SIGKILL: no
 * close, whatever was in flight left behind) or stop it (SIGTERM: Streams closes cleanly) and start it again. Its
 * output goes to {@code target/<name>.log}, kept after the test for a look at what Streams did.
 */
final class StreamsProcess implements AutoCloseable {

    private final String name;
    private final Process process;

    private StreamsProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts the app against {@code bootstrap} with its state in {@code stateDir} and {@code guarantee} as its
     * {@code processing.guarantee}, plus {@code settings} ({@code key=value} Streams configs).
     */
    static StreamsProcess start(String name, String bootstrap, Path stateDir, String guarantee, String... settings)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                WordCountApp.class.getName(), bootstrap, stateDir.toString(), guarantee));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(Path.of("target", name + ".log").toFile());
        return new StreamsProcess(name, builder.start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code condition} holds, failing if the process ends first or two minutes pass. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(process.isAlive(), "the Streams process " + name + " stopped before " + what);
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " gone after SIGKILL");
    }

    /** SIGTERM: the app closes Streams, which commits what it processed; waits until the process is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + " stopped after SIGTERM");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
