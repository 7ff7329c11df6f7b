/**
 * Security on the Kafka listener: who a connection is, what its requests may do and how fast. The users, their
 * credentials and the ACLs themselves are the core's ({@code dev.tributary.broker.security}); this package applies
 * them to Kafka requests.
 *
 * <ul>
 *   <li>Authentication: {@link dev.tributary.broker.kafka.security.SaslHandshakeHandler} and
 *       {@link dev.tributary.broker.kafka.security.SaslAuthenticateHandler} run the exchange that
 *       {@link dev.tributary.broker.kafka.security.SaslServers} makes (PLAIN, SCRAM-SHA-256/512 against the users),
 *       and record the principal on the connection's {@code ConnectionSession};
 *       {@link dev.tributary.broker.kafka.security.TlsSettings} is the listener's key store, from which each network
 *       thread gets its TLS context.</li>
 *   <li>Authorization: {@link dev.tributary.broker.kafka.security.RequestAuthorization} says what each request needs
 *       of the ACLs; {@link dev.tributary.broker.kafka.security.AuthorizedHandler} refuses what is not allowed before
 *       the API's handler sees it.</li>
 *   <li>Quotas: {@link dev.tributary.broker.kafka.security.QuotaConfig} (the byte rates),
 *       {@link dev.tributary.broker.kafka.security.ClientQuotas} (Kafka's rate arithmetic per principal) and
 *       {@link dev.tributary.broker.kafka.security.ThrottledHandler} (holds back the responses of a principal over
 *       its rate).</li>
 * </ul>
 *
 * <p>Rules:
 * <ul>
 *   <li>This package depends on {@code kafka.network}'s request abstractions ({@code ApiHandler},
 *       {@code KafkaRequest}, {@code ConnectionSession}) and on the core, never on the API handlers; handlers may
 *       use {@code RequestAuthorization} to filter what they list (Metadata, ListGroups).</li>
 *   <li>Authorization stands in front of quotas: a refused request reaches neither its handler nor a quota.</li>
 *   <li>Neither answers nor logs name a password, or a user name that an exchange did not prove.</li>
 * </ul>
 *
 * <p>Plain Java plus kafka-clients; no Jakarta EE types.
 */
package dev.tributary.broker.kafka.security;
