package dev.tributary.rest.security;

import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;

/**
 * Enforces {@link RolesAllowed} on resource methods (or their class): 403 when the authenticated caller has none of
 * the roles; {@link PermitAll} on a method opens it to every authenticated caller. Authentication itself is the container's ({@link BasicAuthentication}), so a caller reaching this
 * filter is known; a resource without the annotation is open to any authenticated caller.
 */
@Provider
@Priority(Priorities.AUTHORIZATION - 1) // before a server's own RolesAllowed filter, to name the missing role
public class RoleCheck implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource.getResourceMethod().isAnnotationPresent(PermitAll.class)) {
            return;
        }
        RolesAllowed allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        // The class may be the container's proxy subclass of the resource; RolesAllowed is not inherited.
        for (Class<?> type = resource.getResourceClass(); allowed == null && type != null; type = type.getSuperclass()) {
            allowed = type.getAnnotation(RolesAllowed.class);
        }
        SecurityContext caller = request.getSecurityContext();
        if (allowed != null && Arrays.stream(allowed.value()).noneMatch(caller::isUserInRole)) {
            String name = caller.getUserPrincipal() == null ? "anonymous" : caller.getUserPrincipal().getName();
            throw new ForbiddenException("User '" + name + "' lacks the role this needs: "
                    + String.join(" or ", allowed.value()));
        }
    }
}
