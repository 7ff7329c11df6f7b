package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.it.jcaapp.Sender;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The JCA test application (package {@code jcaapp}: a producer bean and MDBs) as the container tests drive it over
 * HTTP on the server it is deployed to.
 */
final class JcaTestApp {

    private final RestClient http;
    private final Path serverLog;

    JcaTestApp(MicroBroker server) {
        this(server.serverBase(), server.logFile());
    }

    /** The application deployed as {@code jca-app} on the server at {@code serverBase}, which logs to that file. */
    JcaTestApp(URI serverBase, Path serverLog) {
        this.serverLog = serverLog;
        this.http = new RestClient(serverBase.resolve("jca-app/app/"));
    }

    /** {@code jca-app.war}, written to {@code dir}. */
    static Path archive(Path dir) {
        return export(ShrinkWrap.create(WebArchive.class, "jca-app.war").addPackage(Sender.class.getPackage()), dir);
    }

    static Path export(WebArchive archive, Path dir) {
        Path file = dir.resolve(archive.getName());
        archive.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    void awaitDeployed() {
        await("the application is deployed", () -> http.get("received/orders").status() == 200,
                Duration.ofSeconds(60));
    }

    /** POSTs to the application and returns its answer; fails unless it is 200. */
    String post(String path) {
        RestClient.Reply reply = http.post(path, "");
        assertEquals(200, reply.status(), reply::toString);
        return reply.body();
    }

    RestClient.Reply tryPost(String path) {
        return http.post(path, "");
    }

    /** What {@code listener} received, one "listener partition offset key value" line per record. */
    List<String> received(String listener) {
        String body = http.get("received/" + listener).body();
        return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
    }

    static List<String> values(List<String> lines) {
        return lines.stream().map(l -> l.split(" ")[4]).toList();
    }

    /** Polls {@code condition} until it holds; a condition that throws (not deployed yet, say) counts as false. */
    void await(String what, BooleanSupplier condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // e.g. the application is not deployed yet
            }
            assertTrue(System.nanoTime() < deadline, what + ": not within " + wait + "; see " + serverLog);
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
