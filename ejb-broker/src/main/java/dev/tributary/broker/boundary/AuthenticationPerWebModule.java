package dev.tributary.broker.boundary;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Keeps the broker's REST authentication to the broker's own web module when Tributary's modules and a user's web
 * modules are assembled into one EAR.
 *
 * <p>Why: Jakarta Security (Soteria, in Payara) decides once per application whether an
 * {@link HttpAuthenticationMechanism} bean exists, and if so installs its authentication module in <em>every</em>
 * web module of the application. A web module that cannot see the broker's mechanism (a sibling WAR sees none of
 * tributary.war's classes) then fails each request with a 500 ("mechanismInstance is null"). This initializer,
 * which every web module of the EAR finds because the broker's EJB module is visible to all of them, removes that
 * module again from a web module in which no mechanism bean is visible, once every initializer (Soteria's included)
 * has run. A module with a mechanism of its own, or the broker's, keeps it.
 */
public class AuthenticationPerWebModule implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(AuthenticationPerWebModule.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        // Listeners start after every initializer has run, so Soteria's registration is in place by then.
        context.addListener(new RemoveUnbackedModule());
    }

    /** Removes the module's authentication module when this web module sees no mechanism to back it. */
    static final class RemoveUnbackedModule implements ServletContextListener {

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            if (!seesMechanism() && AuthConfigFactory.getFactory() != null) {
                AuthConfigFactory.getFactory().removeServerAuthModule(context);
                LOG.info(() -> "Web module '" + context.getContextPath() + "' has no HttpAuthenticationMechanism of "
                        + "its own: the Tributary broker's authentication does not apply to it");
            }
        }

        private static boolean seesMechanism() {
            BeanManager beans;
            try {
                beans = CDI.current().getBeanManager();
            } catch (IllegalStateException noCdiHere) {
                return false;
            }
            return !beans.getBeans(HttpAuthenticationMechanism.class).isEmpty();
        }
    }
}
