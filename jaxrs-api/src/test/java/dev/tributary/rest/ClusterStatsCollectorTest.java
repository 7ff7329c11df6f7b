package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.cluster.BrokerStatus;
import dev.tributary.rest.dto.BrokerStats;
import dev.tributary.rest.dto.BrokerStatsEntry;
import dev.tributary.rest.dto.ClusterStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /stats/brokers} lists every registered broker: the answering one's own stats, the others' as they
 * answered, and the ones that are down, silent or failing as unreachable with why, without failing the answer.
 */
class ClusterStatsCollectorTest {

    private static final BrokerStats LOCAL = stats(1000);
    private static final BrokerStats PEER = stats(2000);

    private final List<URI> asked = new ArrayList<>();

    @Test
    void listsEveryBrokerWithItsStatsOrWhyThereAreNone() {
        Map<String, CompletableFuture<BrokerStats>> answers = Map.of(
                "http://b2:8080/", CompletableFuture.completedFuture(PEER),
                "http://b5:8080/", CompletableFuture.failedFuture(
                        new PeerStatsClient.PeerStatsException("http://b5:8080/api/v1/stats answered 401: no")),
                "http://b6:8080/", new CompletableFuture<>()); // never answers
        ClusterStatsCollector collector = new ClusterStatsCollector(ask(answers), Duration.ofMillis(200));

        ClusterStats cluster = collector.collect(List.of(broker(1, true, "http://b1:8080/"),
                broker(2, true, "http://b2:8080/"), broker(3, false, "http://b3:8080/"), broker(4, true, null),
                broker(5, true, "http://b5:8080/"), broker(6, true, "http://b6:8080/")), 1, () -> LOCAL);

        List<BrokerStatsEntry> brokers = cluster.brokers();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), brokers.stream().map(BrokerStatsEntry::id).toList());
        assertEquals(BrokerStatsEntry.reached(1, true, LOCAL), brokers.get(0));
        assertEquals(BrokerStatsEntry.reached(2, false, PEER), brokers.get(1));
        assertEquals(BrokerStatsEntry.unreachable(3, false,
                "broker 3 is down (the cluster does not count it alive)"), brokers.get(2));
        assertEquals(BrokerStatsEntry.unreachable(4, true,
                "broker 4 announced no REST URL (set tributary.http.url on it)"), brokers.get(3));
        assertEquals(BrokerStatsEntry.unreachable(5, true,
                "broker 5: http://b5:8080/api/v1/stats answered 401: no"), brokers.get(4));
        assertEquals(BrokerStatsEntry.unreachable(6, true, "broker 6 did not answer within 200 ms"),
                brokers.get(5));
        assertEquals(List.of(URI.create("http://b2:8080/"), URI.create("http://b5:8080/"),
                URI.create("http://b6:8080/")), asked, "neither itself nor a broker that is down is asked");
    }

    @Test
    void aBrokerNotRegisteredYetStillListsItself() {
        ClusterStats cluster = new ClusterStatsCollector(ask(Map.of()), Duration.ofMillis(200))
                .collect(List.of(broker(2, false, "http://b2:8080/")), 7, () -> LOCAL);

        assertEquals(List.of(7, 2), cluster.brokers().stream().map(BrokerStatsEntry::id).toList());
        assertTrue(cluster.brokers().get(0).local() && cluster.brokers().get(0).reachable());
    }

    @Test
    void aMalformedUrlOrAClientFailingAtOnceIsOneUnreachableBroker() {
        Function<URI, CompletableFuture<BrokerStats>> throwing = uri -> {
            throw new IllegalStateException("no client");
        };
        ClusterStats cluster = new ClusterStatsCollector(throwing, Duration.ofMillis(200)).collect(List.of(
                broker(1, true, "http://b1:8080/"), broker(2, true, "http://b2:8080/"),
                broker(3, true, "not a url")), 1, () -> LOCAL);

        assertEquals(BrokerStatsEntry.unreachable(2, true, "broker 2: no client"), cluster.brokers().get(1));
        assertEquals(BrokerStatsEntry.unreachable(3, true, "broker 3 announced a malformed REST URL: not a url"),
                cluster.brokers().get(2));
    }

    private Function<URI, CompletableFuture<BrokerStats>> ask(Map<String, CompletableFuture<BrokerStats>> answers) {
        return uri -> {
            asked.add(uri);
            return answers.get(uri.toString());
        };
    }

    private static BrokerStatus broker(int id, boolean alive, String httpUrl) {
        return new BrokerStatus(id, Optional.of("b" + id + ":9092"), Optional.ofNullable(httpUrl), alive, false);
    }

    private static BrokerStats stats(long logBytes) {
        return new BrokerStats(1_700_000_000_000L, 10, 100, 5, 50, logBytes, 10_000_000, 4_000_000, List.of());
    }
}
