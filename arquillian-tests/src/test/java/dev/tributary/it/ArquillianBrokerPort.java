package dev.tributary.it;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Picks the Kafka port of this test JVM's Arquillian-managed broker before any test runs, and publishes it as the
 * system property {@value #PROPERTY}, which arquillian.xml passes to Payara Micro and
 * {@link ItEnvironment#arquillianKafkaPort()} hands to the tests' clients.
 *
 * <p>Picked here rather than by the build because failsafe runs test classes in two JVMs at once, each with a
 * broker of its own; a port fixed at build time would be wanted by both. Registered with the JUnit Platform
 * through {@code META-INF/services}; a value already set (e.g. {@code -Dtributary.it.kafka.port=N} for one
 * class in a debugger) is left alone.
 */
public final class ArquillianBrokerPort implements LauncherSessionListener {

    static final String PROPERTY = "tributary.it.kafka.port";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(ItEnvironment.freePort()));
        }
    }
}
