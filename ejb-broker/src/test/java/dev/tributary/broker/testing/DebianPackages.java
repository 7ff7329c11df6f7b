package dev.tributary.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Debian packages that tests run against (PostgreSQL, the Python Kafka clients): installed with apt-get when
 * missing and the tests run as root, so that {@code mvn verify} on a fresh box needs no manual set-up.
 */
public final class DebianPackages {

    /**
     * apt-get, waiting up to ten minutes for dpkg's lock rather than failing at once: test classes run in two JVMs
     * at once, and two of them may install what they need at the same moment.
     */
    public static final List<String> APT_GET = List.of("apt-get", "-o", "DPkg::Lock::Timeout=600");

    private DebianPackages() {
    }

    /**
     * Installs {@code packages} unless {@code installed} already holds.
     *
     * @throws IllegalStateException naming the packages if they are missing afterwards (not root, no network)
     */
    public static void ensure(BooleanSupplier installed, String... packages) {
        if (installed.getAsBoolean())
            return;
        if ("root".equals(System.getProperty("user.name"))) {
            List<String> command = new ArrayList<>(APT_GET);
            command.addAll(List.of("install", "-y", "-q"));
            command.addAll(List.of(packages));
            ProcessBuilder install = new ProcessBuilder(command);
            install.environment().put("DEBIAN_FRONTEND", "noninteractive");
            run(install);
        }
        if (!installed.getAsBoolean())
            throw new IllegalStateException(String.join(" ", packages) + " not installed (apt-get install "
                    + String.join(" ", packages) + ")");
    }

    /** Runs {@code command} to completion (at most ten minutes). @throws IllegalStateException with its output */
    public static void run(ProcessBuilder command) {
        try {
            Process process = command.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
