package dev.tributary.rest.security;

import dev.tributary.rest.dto.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents what {@link BasicAuthentication} and {@link RoleCheck} answer on every operation — 401 and 403 as
 * problem+json, and 503 while the broker does not serve ({@link dev.tributary.rest.BrokerUnavailable}) — instead of
 * repeating them on each resource method.
 */
public class SecurityResponsesFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null) {
            add(responses, "401", "No credentials, or wrong ones (HTTP Basic; see the WWW-Authenticate challenge)");
            add(responses, "403", "The user lacks the role this operation needs");
            add(responses, "503", "The broker does not serve: it is starting (see Retry-After), or its start failed"
                    + " (the detail says why)");
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
