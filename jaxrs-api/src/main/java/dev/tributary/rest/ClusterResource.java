package dev.tributary.rest;

import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.broker.replication.PreferredLeaderElection;
import dev.tributary.rest.dto.ClusterDetails;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cluster as the broker that answers sees it: brokers, which are alive, the controller, partition health and
 * leadership; and the preferred leader election that moves leaders back after brokers returned.
 */
@Path("/cluster")
@Tag(name = "Cluster")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ClusterResource {

    @Inject
    Supplier<ClusterStatus> status;

    @Inject
    PreferredLeaderElection preferredLeaders;

    /** @param movedLeaders how many partitions changed leader */
    public record RebalanceResult(int movedLeaders) {
    }

    @Operation(summary = "Brokers (alive, controller, addresses) and partition counts")
    @APIResponse(responseCode = "200", description = "The cluster as this broker sees it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClusterDetails.class)))
    @GET
    public ClusterDetails describe() {
        return ClusterDetails.of(status.get());
    }

    @Operation(summary = "Move each partition's leadership back to its preferred replica",
            description = "Where the preferred replica (the first) is alive and in sync; others stay as they are.")
    @APIResponse(responseCode = "200", description = "How many partitions changed leader",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RebalanceResult.class)))
    @APIResponse(responseCode = "503", description = "This broker has not joined the cluster yet (it is starting)",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON,
                    schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/rebalance")
    public RebalanceResult rebalance() {
        return new RebalanceResult(preferredLeaders.run());
    }
}
