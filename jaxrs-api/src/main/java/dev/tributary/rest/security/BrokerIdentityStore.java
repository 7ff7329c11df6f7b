package dev.tributary.rest.security;

import dev.tributary.broker.security.Users;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/**
 * The server's identity store for the REST API: the broker's own users (the same ones SASL authenticates on the
 * Kafka listener), their roles as groups.
 */
@ApplicationScoped
public class BrokerIdentityStore implements IdentityStore {

    @Inject
    Users users;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential password)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        return users.authenticate(password.getCaller(), password.getPassword().getValue())
                .map(user -> new CredentialValidationResult(user.name(), user.roles()))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }
}
