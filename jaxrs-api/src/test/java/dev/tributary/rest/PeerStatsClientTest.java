package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.rest.dto.BrokerStats;
import dev.tributary.rest.dto.TopicTrafficDto;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another broker's {@code GET /stats} asked over real HTTP (a server on the loopback standing in for the broker):
 * the caller's credentials go along, and every way of not getting the stats says why in a sentence.
 */
class PeerStatsClientTest {

    /** Generous: the box running the tests may be busy, and only the silent peer waits it out. */
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final PeerStatsClient client = new PeerStatsClient(TIMEOUT);
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer peer;
    private URI base;

    @BeforeEach
    void startPeer() throws IOException {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        peer.createContext("/api/v1/stats", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, 200, "application/json", """
                    {"at":1700000000000,"recordsIn":14,"bytesIn":1400,"recordsOut":10,"bytesOut":1000,
                     "logBytes":4096,"diskTotalBytes":100000,"diskUsableBytes":60000,"someFieldOfALaterVersion":1,
                     "topics":[{"topic":"orders","recordsIn":14,"bytesIn":1400,"recordsOut":10,"bytesOut":1000}]}""");
        });
        peer.createContext("/denied/api/v1/stats", exchange -> answer(exchange, 401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Wrong user name or password\"}"));
        peer.createContext("/teapot/api/v1/stats", exchange -> answer(exchange, 200, "text/html", "<html>"));
        peer.createContext("/slow/api/v1/stats", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "application/json", "{}");
        });
        peer.start();
        base = URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopPeer() {
        release.countDown();
        peer.stop(0);
        ((java.util.concurrent.ExecutorService) peer.getExecutor()).shutdownNow();
    }

    @Test
    void readsThePeersStatsWithTheCallersCredentials() throws Exception {
        BrokerStats stats = client.fetch(base, Optional.of("Basic YWRtaW46c2VjcmV0")).get(5, TimeUnit.SECONDS);

        assertEquals(new BrokerStats(1_700_000_000_000L, 14, 1400, 10, 1000, 4096, 100_000, 60_000,
                List.of(new TopicTrafficDto("orders", 14, 1400, 10, 1000))), stats);
        assertEquals("Basic YWRtaW46c2VjcmV0", authorization.get());

        client.fetch(base, Optional.empty()).get(5, TimeUnit.SECONDS);
        assertEquals(null, authorization.get(), "no credentials without security, and never the broker's own");
    }

    @Test
    void anErrorAnswerNamesTheStatusAndTheProblemsDetail() {
        assertEquals(base.resolve("denied/api/v1/stats") + " answered 401: Wrong user name or password",
                failure(base.resolve("denied/")));
        assertTrue(failure(base.resolve("teapot/")).startsWith(base.resolve("teapot/api/v1/stats")
                + " answered something other than broker stats"));
    }

    @Test
    void aPeerThatIsGoneOrSilentIsReportedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI gone = URI.create("http://127.0.0.1:" + closedPort + "/");
        assertTrue(failure(gone).startsWith("no answer from " + gone.resolve("api/v1/stats") + " ("), failure(gone));

        long started = System.nanoTime();
        assertEquals("no answer from " + base.resolve("slow/api/v1/stats") + " within 1500 ms",
                failure(base.resolve("slow/")));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "the timeout holds");
    }

    private String failure(URI peerBase) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.fetch(peerBase, Optional.empty()).get(5, TimeUnit.SECONDS));
        return assertInstanceOf(PeerStatsClient.PeerStatsException.class, failed.getCause()).getMessage();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
