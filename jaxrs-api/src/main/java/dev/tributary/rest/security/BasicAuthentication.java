package dev.tributary.rest.security;

import dev.tributary.broker.server.BrokerAvailability;
import dev.tributary.rest.BrokerUnavailable;
import dev.tributary.rest.ServletProblem;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTP Basic authentication for {@code /api/v1} (protected for any authenticated user in {@code web.xml}; the
 * roles per operation are checked by {@link RoleCheck}). Missing or wrong credentials get 401 with a
 * {@code WWW-Authenticate} challenge and a problem+json body; a failure is logged with the caller's address, never
 * with the password.
 *
 * <p>The first code of the application a request meets, so it also answers 503 while the broker does not serve
 * ({@link BrokerUnavailable}): the users it would check credentials against are the broker's.
 *
 * <p>A request carrying {@code X-Requested-With} (the console's {@code fetch} calls send it) gets the 401 without the
 * challenge header: a browser answers a challenge by opening its own login dialog, and the console has a login form
 * of its own.
 *
 * <p>With {@code tributary.security.enabled=false} ({@code bin/tributary start --insecure}) every request is let in
 * as {@code anonymous} with every role.
 */
@ApplicationScoped
public class BasicAuthentication implements HttpAuthenticationMechanism {

    static final String REALM = "tributary";
    /** Marks a request made by a script with a login of its own (see the class comment). */
    static final String SCRIPTED_REQUEST = "X-Requested-With";
    private static final Logger LOG = Logger.getLogger(BasicAuthentication.class.getName());
    private static final Set<String> EVERY_ROLE = Set.of(Roles.ADMIN, Roles.PRODUCER, Roles.CONSUMER);

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    BrokerAvailability broker;

    @Inject
    @ConfigProperty(name = "tributary.security.enabled", defaultValue = "true")
    boolean enabled;

    @PostConstruct
    void warnIfOff() {
        if (!enabled) {
            LOG.warning("tributary.security.enabled=false: the REST API lets every caller in with every role");
        }
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (context.isProtected() && BrokerUnavailable.answered(broker, request, response)) {
            return AuthenticationStatus.SEND_FAILURE;
        }
        if (!enabled) {
            return context.notifyContainerAboutLogin("anonymous", EVERY_ROLE);
        }
        Optional<UsernamePasswordCredential> credential = basicCredential(request);
        if (credential.isEmpty()) {
            return context.isProtected() ? challenge(request, response, "Authentication required: send HTTP Basic "
                    + "credentials of a Tributary user") : context.doNothing();
        }
        CredentialValidationResult result = identityStores.validate(credential.get());
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            LOG.warning(() -> "REST authentication failed for user '" + credential.get().getCaller() + "' from "
                    + request.getRemoteAddr());
            return challenge(request, response, "Wrong user name or password");
        }
        return context.notifyContainerAboutLogin(result);
    }

    private static Optional<UsernamePasswordCredential> basicCredential(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new UsernamePasswordCredential(decoded.substring(0, colon),
                        decoded.substring(colon + 1)));
    }

    private static AuthenticationStatus challenge(HttpServletRequest request, HttpServletResponse response,
                                                  String detail) {
        if (request.getHeader(SCRIPTED_REQUEST) == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        ServletProblem.send(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", detail, null);
        return AuthenticationStatus.SEND_FAILURE;
    }
}
