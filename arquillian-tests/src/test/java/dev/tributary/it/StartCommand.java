package dev.tributary.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tributary start} run as a user runs it, with this JVM's Java ({@code JAVA_HOME}), its output (both
 * streams) in a file. {@link #close()} leaves no process behind: the script stops Payara Micro on SIGTERM, and
 * whatever still runs after that is killed.
 */
final class StartCommand implements AutoCloseable {

    /**
     * A first clean stop on a data directory writes the class-data-sharing archive (docs/operations.md), over a
     * minute when two container tests share two loaded cores; later stops take seconds.
     */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Path output;

    private StartCommand(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Runs {@code bin/tributary start ARGS} with {@code environment} added to this JVM's environment. */
    static StartCommand run(Path output, Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ItEnvironment.launcher().toString(), "start"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try {
            return new StartCommand(builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StartCommand run(Path output, List<String> args) {
        return run(output, Map.of(), args);
    }

    /** The script's own lines ("tributary: ..."), in order. */
    List<String> ownLines() {
        return lines().stream().filter(line -> line.startsWith("tributary: ")).toList();
    }

    List<String> lines() {
        try {
            return Files.exists(output) ? Files.readAllLines(output) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the line saying the broker serves; fails if the command ends first or the time runs out. */
    String awaitReady(Duration timeout) {
        boolean ready = MicroBroker.poll(timeout, () -> !process.isAlive() || readyLine().isPresent());
        return readyLine().orElseThrow(() -> new AssertionError((ready ? "bin/tributary start ended"
                : "bin/tributary start did not serve within " + timeout) + ": " + lines()));
    }

    private Optional<String> readyLine() {
        return ownLines().stream().filter(line -> line.startsWith("tributary: ready in ")).findFirst();
    }

    /** The exit status once the command ends by itself within {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("bin/tributary start still runs after " + timeout + ": " + lines());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as a service manager stops it; the exit status once it has stopped. */
    int stop() {
        process.destroy();
        return awaitExit(STOP_TIMEOUT);
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Payara Micro's processes started by the command that still run. */
    List<ProcessHandle> children() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
    }

    @Override
    public void close() {
        List<ProcessHandle> left = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        left.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
