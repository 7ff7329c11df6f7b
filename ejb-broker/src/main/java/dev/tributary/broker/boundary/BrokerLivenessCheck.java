package dev.tributary.broker.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** {@code /health/live}: UP while the broker runs or recovers its logs; DOWN once its start failed or it stopped. */
@Liveness
@ApplicationScoped
public class BrokerLivenessCheck implements HealthCheck {

    @Inject
    BrokerHealth health;

    @Override
    public HealthCheckResponse call() {
        return BrokerHealth.response(health.readiness().liveness());
    }
}
