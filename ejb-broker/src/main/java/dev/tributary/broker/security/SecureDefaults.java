package dev.tributary.broker.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * One rule for every door: unless security is switched off ({@code tributary.security.enabled=false},
 * {@code bin/tributary start --insecure}), the Kafka listener wants SASL and every Kafka request and in-VM adapter
 * call is authorized, as the REST API wants a password. What the operator set explicitly always wins over these
 * defaults; switched off, the defaults are Kafka's own (PLAINTEXT, no ACLs).
 *
 * @param enabled whether the broker is secure by default ({@code tributary.security.enabled}, default true)
 */
public record SecureDefaults(boolean enabled) {

    /** SCRAM never sends the password, so it is offered on a listener without TLS. */
    public static final List<String> SCRAM = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");
    /** With TLS the password PLAIN sends is encrypted too; librdkafka and many tools default to PLAIN. */
    public static final List<String> WITH_TLS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** The listener's SASL mechanisms: those configured, else SCRAM (and PLAIN with TLS) when secure, else none. */
    public List<String> saslMechanisms(Optional<List<String>> configured, boolean tls) {
        if (configured.isPresent())
            return configured.get();
        if (!enabled)
            return List.of();
        return tls ? WITH_TLS : SCRAM;
    }

    /** Whether ACLs are checked: as configured, else when secure. */
    public boolean aclsEnabled(Optional<Boolean> configured) {
        return configured.orElse(enabled);
    }

    /** The warning a broker with security switched off logs at start, naming every door it opened. */
    public Optional<String> openDoorsWarning() {
        if (enabled)
            return Optional.empty();
        return Optional.of("tributary.security.enabled=false (--insecure): the REST API lets every caller in with "
                + "every role, and unless configured otherwise the Kafka listener takes anyone without SASL and "
                + "checks no ACLs: whoever reaches them may read, write and delete every topic");
    }

    /**
     * What an operator should know about a listener bound to {@code host}: nothing on a loopback address or with
     * TLS; otherwise that credentials (or, without SASL, every request) cross the network in clear text.
     */
    public static Optional<String> exposureWarning(String host, int port, List<String> mechanisms, boolean tls) {
        if (tls || isLoopback(host))
            return Optional.empty();
        String where = "The Kafka listener on " + host + ":" + port + " is reachable from other machines without TLS: ";
        if (mechanisms.isEmpty())
            return Optional.of(where + "anyone who can reach it may produce, consume and delete topics without a "
                    + "password (security is off). Bind it to 127.0.0.1, or drop --insecure.");
        return Optional.of(where + "SASL credentials and records travel in clear text (" + mechanisms + "; SCRAM is "
                + "safe from replay, PLAIN sends the password itself). Give it a key store (--keystore) to use TLS.");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // cannot tell: warn
        }
    }
}
