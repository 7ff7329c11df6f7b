package dev.tributary.rest;

import dev.tributary.broker.security.Authorizer;
import dev.tributary.rest.dto.AclDto;
import dev.tributary.rest.dto.AclList;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Kafka listener's ACLs (enforced once {@code tributary.acl.enabled=true}), the same ones the admin client's
 * createAcls/describeAcls/deleteAcls manage.
 */
@Path("/acls")
@Tag(name = "ACLs")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AclsResource {

    @Inject
    Authorizer authorizer;

    @Operation(summary = "List ACL bindings, optionally only those of one principal or resource")
    @APIResponse(responseCode = "200", description = "The bindings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AclList.class)))
    @APIResponse(responseCode = "400", description = "An unknown resource type",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @GET
    public AclList list(@QueryParam("principal") String principal, @QueryParam("resourceType") String resourceType,
                        @QueryParam("resourceName") String resourceName) {
        return new AclList(authorizer.describe(filter(principal, resourceType, resourceName)).stream()
                .map(AclsResource::dto).toList());
    }

    @Operation(summary = "Add an ACL binding")
    @APIResponse(responseCode = "201", description = "Added (adding one that exists changes nothing)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AclDto.class)))
    @APIResponse(responseCode = "400", description = "A missing or unknown field",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    public Response create(AclDto request) {
        AclBinding binding = binding(request);
        try {
            authorizer.create(List.of(binding));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidRequestException(invalid.getMessage());
        }
        return Response.status(Response.Status.CREATED).entity(dto(binding)).build();
    }

    @Operation(summary = "Delete the ACL bindings of a principal on a resource (every field given must match)")
    @APIResponse(responseCode = "200", description = "The bindings deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AclList.class)))
    @APIResponse(responseCode = "400", description = "Neither principal nor resource named, or an unknown type",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @DELETE
    public AclList delete(@QueryParam("principal") String principal, @QueryParam("resourceType") String resourceType,
                          @QueryParam("resourceName") String resourceName) {
        if (principal == null && resourceName == null) {
            throw new InvalidRequestException("Name a principal or a resourceName: deleting every ACL at once "
                    + "is not offered here");
        }
        return new AclList(authorizer.delete(filter(principal, resourceType, resourceName)).stream()
                .map(AclsResource::dto).toList());
    }

    private static AclBindingFilter filter(String principal, String resourceType, String resourceName) {
        ResourceType type = resourceType == null ? ResourceType.ANY : parse(ResourceType.class, "resourceType",
                resourceType);
        return new AclBindingFilter(new ResourcePatternFilter(type, resourceName, PatternType.ANY),
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static AclBinding binding(AclDto request) {
        if (request == null || request.resourceType() == null || request.resourceName() == null
                || request.principal() == null || request.operation() == null) {
            throw new InvalidRequestException("An ACL needs resourceType, resourceName, principal and operation");
        }
        if (!request.principal().startsWith("User:")) {
            throw new InvalidRequestException("A principal is User:name or User:*, not '" + request.principal() + "'");
        }
        return new AclBinding(new ResourcePattern(parse(ResourceType.class, "resourceType", request.resourceType()),
                request.resourceName(), request.patternType() == null ? PatternType.LITERAL
                        : parse(PatternType.class, "patternType", request.patternType())),
                new AccessControlEntry(request.principal(), request.host() == null ? "*" : request.host(),
                        parse(AclOperation.class, "operation", request.operation()),
                        request.permission() == null ? AclPermissionType.ALLOW
                                : parse(AclPermissionType.class, "permission", request.permission())));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new InvalidRequestException("Unknown " + field + " '" + value + "'");
        }
    }

    private static AclDto dto(AclBinding binding) {
        return new AclDto(binding.pattern().resourceType().name(), binding.pattern().name(),
                binding.pattern().patternType().name(), binding.entry().principal(), binding.entry().host(),
                binding.entry().operation().name(), binding.entry().permissionType().name());
    }
}
