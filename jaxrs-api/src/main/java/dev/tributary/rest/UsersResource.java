package dev.tributary.rest;

import dev.tributary.broker.security.User;
import dev.tributary.broker.security.Users;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.dto.UserList;
import dev.tributary.rest.dto.UserRequest;
import dev.tributary.rest.dto.UserSummary;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.TreeSet;

/**
 * The users of the REST API and the Kafka listener (SASL). Passwords go in, never out: responses carry names and
 * roles only.
 */
@Path("/users")
@Tag(name = "Users")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    Users users;

    @Operation(summary = "List users and their roles (never passwords)")
    @APIResponse(responseCode = "200", description = "All users",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserList.class)))
    @GET
    public UserList list() {
        return new UserList(users.list().stream().map(UsersResource::summary).toList());
    }

    @Operation(summary = "Create a user, or replace its password and roles")
    @APIResponse(responseCode = "200", description = "The user as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserSummary.class)))
    @APIResponse(responseCode = "400", description = "Invalid name, role or password (fewer than 8 characters)",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @PUT
    @Path("/{name}")
    public UserSummary save(@PathParam("name") String name, UserRequest request) {
        if (request == null || request.password() == null) {
            throw new InvalidRequestException("A user needs a body: {\"password\": ..., \"roles\": [...]}");
        }
        try {
            List<String> roles = request.roles() == null ? List.of() : request.roles();
            if (roles.stream().anyMatch(Objects::isNull)) { // List.of().contains(null) would throw
                throw new InvalidRequestException("A role is a name, not null");
            }
            return summary(users.save(name, request.password(), new TreeSet<>(roles)));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidRequestException(invalid.getMessage());
        }
    }

    @Operation(summary = "Delete a user")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        if (!users.delete(name)) {
            throw new NotFoundException("No user '" + name + "'");
        }
        return Response.noContent().build();
    }

    private static UserSummary summary(User user) {
        return new UserSummary(user.name(), List.copyOf(new TreeSet<>(user.roles())));
    }
}
