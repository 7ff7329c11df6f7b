package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Puts {@link RequestAuthorization} in front of a handler: a request its principal may not make is answered with
 * the authorization error and never reaches the handler. One INFO line per refusal, naming principal and resource.
 */
public final class AuthorizedHandler extends DecoratedHandler {

    private static final Logger LOG = Logger.getLogger(AuthorizedHandler.class.getName());

    private final RequestAuthorization authorization;

    public AuthorizedHandler(ApiHandler handler, RequestAuthorization authorization) {
        super(handler);
        this.authorization = authorization;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        Optional<ApiException> refused = authorization.check(request);
        if (refused.isEmpty()) {
            return handler.handle(request);
        }
        LOG.info(() -> "Denied " + request.header().apiKey() + " from " + request.clientHost() + " on "
                + request.connectionId() + ": " + refused.get().getMessage());
        return CompletableFuture.completedFuture(request.body().getErrorResponse(refused.get()));
    }
}
