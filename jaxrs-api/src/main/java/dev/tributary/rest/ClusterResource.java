package dev.tributary.rest;

import dev.tributary.broker.cluster.ClusterStatus;
import dev.tributary.rest.dto.ClusterDetails;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;

/** The cluster as the broker that answers sees it: brokers, which are alive, the controller, partition health. */
@Path("/cluster")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ClusterResource {

    @Inject
    Supplier<ClusterStatus> status;

    @GET
    public ClusterDetails describe() {
        return ClusterDetails.of(status.get());
    }
}
