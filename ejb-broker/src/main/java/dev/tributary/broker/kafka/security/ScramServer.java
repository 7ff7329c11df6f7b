package dev.tributary.broker.kafka.security;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;

/**
 * The server side of one SCRAM-SHA-256/512 exchange (RFC 5802, as Kafka's {@code ScramSaslServer} runs it, with
 * Kafka's message classes), with one tolerance Kafka 4 dropped: librdkafka before 2.6.1 (Debian's 2.0.2, for one)
 * sends its own nonce again in front of the combined nonce in the client-final message. That nonce is still bound
 * to this exchange (it ends with the server's fresh nonce, and the proof is checked over the message as sent), so
 * it is accepted, as Kafka 3.8.1 to 3.9 did; any other nonce is refused. Confined to its connection.
 */
final class ScramServer implements SaslServer {

    /** Finds the named user's credential for this mechanism, or null. */
    @FunctionalInterface
    interface Credentials {
        ScramCredential find(String user);
    }

    private enum State { CLIENT_FIRST, CLIENT_FINAL, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final ScramFormatter formatter;
    private final Credentials credentials;
    private State state = State.CLIENT_FIRST;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private ScramCredential credential;
    private String user;

    ScramServer(ScramMechanism mechanism, Credentials credentials) throws NoSuchAlgorithmException {
        this.mechanism = mechanism;
        this.formatter = new ScramFormatter(mechanism);
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        try {
            return switch (state) {
                case CLIENT_FIRST -> clientFirst(response);
                case CLIENT_FINAL -> clientFinal(response);
                default -> throw new SaslException("Unexpected SCRAM message in state " + state);
            };
        } catch (SaslException | SaslAuthenticationException e) {
            state = State.FAILED;
            credential = null;
            throw e;
        }
    }

    private byte[] clientFirst(byte[] response) throws SaslException {
        clientFirst = new ClientFirstMessage(response);
        String name = ScramFormatter.username(clientFirst.saslName());
        if (!clientFirst.authorizationId().isEmpty() && !clientFirst.authorizationId().equals(name))
            throw new SaslAuthenticationException("Authentication failed: Client requested an authorization id that "
                    + "is different from username");
        credential = credentials.find(name);
        if (credential == null)
            throw new SaslException("Authentication failed: Invalid user credentials");
        if (credential.iterations() < mechanism.minIterations())
            throw new SaslException("Iterations " + credential.iterations() + " is less than the minimum "
                    + mechanism.minIterations() + " for " + mechanism);
        user = name;
        serverFirst = new ServerFirstMessage(clientFirst.nonce(), formatter.secureRandomString(), credential.salt(),
                credential.iterations());
        state = State.CLIENT_FINAL;
        return serverFirst.toBytes();
    }

    private byte[] clientFinal(byte[] response) throws SaslException {
        ClientFinalMessage clientFinal = new ClientFinalMessage(response);
        String nonce = clientFinal.nonce();
        if (!nonce.equals(serverFirst.nonce()) && !nonce.equals(clientFirst.nonce() + serverFirst.nonce()))
            throw new SaslException("Invalid client nonce in the final client message.");
        try {
            byte[] signature = formatter.clientSignature(credential.storedKey(), clientFirst, serverFirst, clientFinal);
            if (!MessageDigest.isEqual(formatter.storedKey(signature, clientFinal.proof()), credential.storedKey()))
                throw new SaslException("Invalid client credentials");
            byte[] serverSignature = formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst,
                    clientFinal);
            credential = null;
            state = State.COMPLETE;
            return new ServerFinalMessage(null, serverSignature).toBytes();
        } catch (InvalidKeyException e) {
            throw new SaslException("Authentication failed: Invalid client final message", e);
        }
    }

    @Override
    public String getMechanismName() {
        return mechanism.mechanismName();
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String getAuthorizationID() {
        if (!isComplete())
            throw new IllegalStateException("Authentication exchange has not completed");
        return user;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException("SCRAM negotiates no security layer");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException("SCRAM negotiates no security layer");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        if (!isComplete())
            throw new IllegalStateException("Authentication exchange has not completed");
        return null;
    }

    @Override
    public void dispose() {
        credential = null;
    }
}
