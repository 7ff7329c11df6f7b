package dev.tributary.rest;

import dev.tributary.broker.server.BrokerAvailability;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * What {@code /api/v1} answers while the broker does not serve: 503 problem+json with the broker's state, and
 * {@code Retry-After} while it starts. Answered before authentication, which needs the broker's users, and before
 * any resource, which needs its topics. A broker whose start failed says why and sends no {@code Retry-After}: it
 * serves again only once restarted.
 */
public final class BrokerUnavailable {

    /** Seconds a client waits before asking again while the broker starts: starts take seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    private BrokerUnavailable() {
    }

    /** @return whether the request was answered (the broker does not serve), so that nothing else may answer it */
    public static boolean answered(BrokerAvailability broker, HttpServletRequest request,
                                   HttpServletResponse response) {
        if (broker.serving()) {
            return false;
        }
        Optional<String> failure = broker.failure();
        if (failure.isEmpty()) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        ServletProblem.send(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Service Unavailable",
                failure.map(reason -> "The broker failed to start: " + reason
                                + "; it serves again once restarted with the cause fixed")
                        .orElseGet(() -> "The broker is " + broker.state() + "; retry in a moment"),
                "BROKER_NOT_AVAILABLE");
        return true;
    }
}
