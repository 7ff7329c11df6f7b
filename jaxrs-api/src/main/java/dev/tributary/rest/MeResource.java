package dev.tributary.rest;

import dev.tributary.rest.dto.CurrentUser;
import dev.tributary.rest.security.Roles;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller: its name and roles, and whether the API checks credentials at all. The console logs in with it and
 * hides what the user may not do (the server refuses those operations regardless).
 */
@Path("/me")
@Tag(name = "Users")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private static final List<String> ROLES = List.of(Roles.ADMIN, Roles.PRODUCER, Roles.CONSUMER);

    @Context
    SecurityContext caller;

    @Inject
    @ConfigProperty(name = "tributary.security.enabled", defaultValue = "true")
    boolean securityEnabled;

    @Operation(summary = "The authenticated user, its roles, and whether security is on")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CurrentUser.class)))
    @GET
    public CurrentUser me() {
        String name = caller.getUserPrincipal() == null ? "anonymous" : caller.getUserPrincipal().getName();
        return new CurrentUser(name, ROLES.stream().filter(caller::isUserInRole).toList(), securityEnabled);
    }
}
