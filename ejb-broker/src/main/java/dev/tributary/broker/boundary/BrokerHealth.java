package dev.tributary.broker.boundary;

import dev.tributary.broker.server.BrokerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Holds the broker's {@link BrokerReadiness} for the health checks. It lives outside {@link BrokerLifecycle}, which
 * feeds it: a health check then never waits for the singleton, whose start (log recovery included) may take long.
 */
@ApplicationScoped
public class BrokerHealth {

    static final String CHECK_NAME = "tributary-broker";

    private final BrokerReadiness readiness = new BrokerReadiness();

    public BrokerReadiness readiness() {
        return readiness;
    }

    static HealthCheckResponse response(BrokerReadiness.Report report) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(CHECK_NAME).status(report.up());
        report.data().forEach(builder::withData);
        return builder.build();
    }
}
