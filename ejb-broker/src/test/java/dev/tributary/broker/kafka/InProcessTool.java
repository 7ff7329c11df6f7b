package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * Runs one of Kafka's command-line tools through its {@code main}, in this JVM, as {@code kafka-*.sh} would run
 * it: the same argument parsing, the same admin/producer/consumer calls, the same printed output.
 *
 * <p>The tools end by calling {@link Exit#exit}; during a run, that call ends the run instead of the JVM (it throws
 * through the tool), and the shutdown hooks the tool registered through {@link Exit} run then, as the JVM would run
 * them at exit (the console producer, for one, only flushes and closes its producer in its hook).
 * {@code System.in/out/err} are swapped for the run: runs are serialized, and no other test may print concurrently
 * (Surefire runs test classes one at a time here).
 */
final class InProcessTool {

    /** A tool's entry point, e.g. {@code TopicCommand::main}. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /**
     * What a run printed and the status it exited with: 0 if it returned without calling {@code Exit}, 1 (and the
     * stack trace on stderr) if it threw out of {@code main}.
     */
    record Result(int status, String out, String err) {

        /** Fails, showing everything the tool printed, unless it exited with 0. */
        Result assertSucceeded() {
            assertEquals(0, status, this::toString);
            return this;
        }

        /** Fails, showing everything the tool printed, unless it exited with 1 (the tools' and the JVM's failure). */
        Result assertFailed() {
            assertEquals(1, status, this::toString);
            return this;
        }

        @Override
        public String toString() {
            return "exit status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private InProcessTool() {
    }

    static Result run(Main main, String... args) {
        return runWithInput(main, "", args);
    }

    /** Runs {@code main} with {@code stdin} as its standard input. */
    static synchronized Result runWithInput(Main main, String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        Capture capture = new Capture();
        Exit.setExitProcedure(capture::exit);
        Exit.setHaltProcedure(capture::exit);
        Exit.setShutdownHookAdder((name, hook) -> capture.shutdownHooks.add(hook));
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(capture.out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capture.err, true, StandardCharsets.UTF_8));
            main.run(args);
        } catch (ToolExited expected) {
            // the run is over
        } catch (Exception e) {
            // What the JVM does with an exception thrown out of main: print it, exit with 1.
            if (!capture.hasExited()) {
                e.printStackTrace(System.err);
                capture.end(1);
            }
        } finally {
            try {
                capture.shutdownHooks.forEach(Runnable::run);
            } finally {
                System.setIn(in);
                System.setOut(out);
                System.setErr(err);
                Exit.resetExitProcedure();
                Exit.resetHaltProcedure();
                Exit.resetShutdownHookAdder();
            }
        }
        return capture.end(0);
    }

    /**
     * A run's output up to its first {@code Exit}: a real JVM stops there, so what the tool does after it (a
     * {@code finally} that exits again, a catch-all that prints the {@link ToolExited} it caught) is not output.
     */
    private static final class Capture {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<Runnable> shutdownHooks = new ArrayList<>();
        private Result result;

        void exit(int status, String message) {
            end(status);
            throw new ToolExited();
        }

        synchronized boolean hasExited() {
            return result != null;
        }

        /** The run's result: fixed by the first call. */
        synchronized Result end(int status) {
            if (result == null) {
                result = new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
            return result;
        }
    }

    /** Unwinds a tool from its {@code Exit} call. */
    private static final class ToolExited extends RuntimeException {
        ToolExited() {
            super("the tool exited", null, false, false);
        }
    }
}
