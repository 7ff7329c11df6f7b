/**
 * The Kafka wire protocol. {@link dev.tributary.broker.kafka.KafkaServer} serves it for a {@code Broker}, configured
 * by a {@link dev.tributary.broker.kafka.KafkaListenerConfig}, and wires three packages together:
 *
 * <ul>
 *   <li>{@code kafka.network}: the listener, network threads, connections and request dispatch (Kafka's
 *       {@code SocketServer}), and what handlers see of a request ({@code ApiHandler}, {@code KafkaRequest});</li>
 *   <li>{@code kafka.security}: SASL authentication, the listener's TLS key store, ACL checks and byte-rate quotas;</li>
 *   <li>{@code kafka.handlers}: one handler per Kafka API.</li>
 * </ul>
 *
 * <p>A request passes {@code AuthorizedHandler}, then for Produce and Fetch under quotas {@code ThrottledHandler},
 * then its API's handler; ApiVersions, which a client may send before it authenticates, is neither checked nor
 * throttled.
 *
 * <p>Dependencies run one way: {@code handlers} may use {@code security} and {@code network}, {@code security} may
 * use {@code network}, {@code network} uses none of them, and only this package uses all three
 * ({@code KafkaPackageLayeringTest} holds them to it).
 */
package dev.tributary.broker.kafka;
