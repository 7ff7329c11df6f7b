package dev.tributary.broker.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN while partition logs are recovered at start, while the data directory is not
 * writable or while a partition is offline, with data naming the cause (see
 * {@link dev.tributary.broker.server.BrokerReadiness}).
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    @Inject
    BrokerHealth health;

    @Override
    public HealthCheckResponse call() {
        return BrokerHealth.response(health.readiness().readiness());
    }
}
