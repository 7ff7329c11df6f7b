package dev.tributary.broker.boundary;

import dev.tributary.broker.server.BrokerAvailability;
import dev.tributary.broker.server.BrokerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Holds the broker's {@link BrokerReadiness} for the health checks, and hands the REST API its
 * {@link BrokerAvailability}. It lives outside {@link BrokerLifecycle}, which feeds it: a reader then never waits for
 * the singleton. The broker counts as started once {@link BrokerLifecycle} has its listeners up, not when the core
 * has opened its logs.
 */
@ApplicationScoped
public class BrokerHealth {

    static final String CHECK_NAME = "tributary-broker";

    private final BrokerReadiness readiness = BrokerReadiness.untilListening();

    BrokerReadiness readiness() {
        return readiness;
    }

    /** For the REST API, which answers 503 while the broker does not serve; available also before it does. */
    @Produces
    public BrokerAvailability availability() {
        return readiness;
    }

    static HealthCheckResponse response(BrokerReadiness.Report report) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(CHECK_NAME).status(report.up());
        report.data().forEach(builder::withData);
        return builder.build();
    }
}
