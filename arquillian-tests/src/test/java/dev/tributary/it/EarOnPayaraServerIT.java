package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tributary.ear as a full-profile server runs it: deployed with asadmin into a throwaway Payara Server domain
 * (loopback only, see {@link PayaraServerDomain}) and driven through the shared REST scenario.
 */
class EarOnPayaraServerIT {

    private static PayaraServerDomain domain;

    @BeforeAll
    static void deployEar() {
        Path ear = ItEnvironment.deployment("tributary.ear");
        domain = PayaraServerDomain.start();
        domain.deploy(ear);
        domain.awaitOk(apiBase().resolve("topics"));
    }

    @AfterAll
    static void stopDomain() {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    void producesReadsBackAndAnswersBadInput() {
        RestScenario scenario = new RestScenario(new RestClient(apiBase()));
        naming(domain.serverLog(), () -> {
            scenario.verifyReadsBack(scenario.createAndProduce("ear-orders"));
            scenario.verifyErrors("ear-orders");
        });
        assertTrue(hasFiles(domain.dataDir()),
                "the broker keeps its data in tributary.data.dir " + domain.dataDir());
    }

    private static boolean hasFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI apiBase() {
        return URI.create("http://127.0.0.1:" + domain.httpPort() + "/api/v1/");
    }

    /** Runs the steps; a failure names the server log, where the cause of a 500 or a missing bean shows. */
    private static void naming(Path serverLog, Runnable steps) {
        try {
            steps.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nserver log: " + serverLog, e);
        }
    }
}
