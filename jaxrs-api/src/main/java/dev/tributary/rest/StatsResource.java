package dev.tributary.rest;

import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.TopicTraffic;
import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.rest.dto.BrokerStats;
import dev.tributary.rest.dto.ClusterStats;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.dto.TopicTrafficDto;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * This broker's traffic counters (records and bytes in and out since it started, in total and per topic) and the
 * disk its logs use and its volume has left; and the same of every broker of the cluster. Counters only go up: a
 * client polls and divides the difference by the time between two answers ({@code at}) to get rates, as the
 * console's charts do.
 */
@jakarta.ws.rs.Path("/stats")
@Tag(name = "Cluster")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    BrokerMetrics metrics;

    @Inject
    @ConfigProperty(name = "tributary.data.dir", defaultValue = "data")
    String dataDir;

    @Inject
    Supplier<ClusterStatus> cluster;

    @Inject
    TopicMetadata topics;

    @Inject
    PeerStatsClient peers;

    @Operation(summary = "This broker's traffic counters and disk use")
    @APIResponse(responseCode = "200", description = "Counters since the broker started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BrokerStats.class)))
    @GET
    public BrokerStats stats() {
        long bytesIn = 0;
        long recordsIn = 0;
        long bytesOut = 0;
        long recordsOut = 0;
        var topics = metrics.topics().stream().sorted(Comparator.comparing(TopicTraffic::topic))
                .map(t -> new TopicTrafficDto(t.topic(), t.recordsIn(), t.bytesIn(), t.recordsOut(), t.bytesOut()))
                .toList();
        for (TopicTrafficDto topic : topics) {
            bytesIn += topic.bytesIn();
            recordsIn += topic.recordsIn();
            bytesOut += topic.bytesOut();
            recordsOut += topic.recordsOut();
        }
        DiskUsage disk = DiskUsage.of(Path.of(dataDir));
        return new BrokerStats(System.currentTimeMillis(), recordsIn, bytesIn, recordsOut, bytesOut, disk.logBytes(),
                disk.totalBytes(), disk.usableBytes(), topics);
    }

    /**
     * Every registered broker's {@link #stats()}: this broker's own, and each other's asked of its REST API (at the
     * URL it announced) with the caller's credentials. A broker that is down or does not answer in time is listed
     * as unreachable with the reason, and the others are still shown.
     */
    @Operation(summary = "Every broker's traffic counters and disk use",
            description = "Other brokers are asked over their REST API with the caller's credentials; one that is"
                    + " down, announced no REST URL or does not answer within 1.5 s is listed as unreachable, with"
                    + " why.")
    @APIResponse(responseCode = "200", description = "Each registered broker, reachable or not",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClusterStats.class)))
    @APIResponse(responseCode = "503", description = "This broker has not joined the cluster yet (it is starting)",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON,
                    schema = @Schema(implementation = Problem.class)))
    @GET
    @jakarta.ws.rs.Path("/brokers")
    public ClusterStats brokers(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<String> credentials = Optional.ofNullable(authorization);
        // A little past the client's own timeout, so that its more precise reason is the one reported.
        Duration deadline = PeerStatsClient.TIMEOUT.plusMillis(250);
        return new ClusterStatsCollector(base -> peers.fetch(base, credentials), deadline)
                .collect(cluster.get().brokers(), topics.brokerId(), this::stats);
    }
}
