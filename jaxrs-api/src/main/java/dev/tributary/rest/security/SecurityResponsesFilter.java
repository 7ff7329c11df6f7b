package dev.tributary.rest.security;

import dev.tributary.rest.dto.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents what {@link BasicAuthentication} and {@link RoleCheck} answer on every operation — 401 and 403 as
 * problem+json — instead of repeating both on each resource method.
 */
public class SecurityResponsesFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null) {
            add(responses, "401", "No credentials, or wrong ones (HTTP Basic; see the WWW-Authenticate challenge)");
            add(responses, "403", "The user lacks the role this operation needs");
        }
        return operation;
    }

    private static void add(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType("application/problem+json",
                            OASFactory.createMediaType().schema(OASFactory.createSchema()
                                    .ref(Problem.class.getSimpleName())))));
        }
    }
}
