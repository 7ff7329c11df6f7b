/**
 * The Kafka-protocol network layer (Kafka's {@code SocketServer}): request frames in, handler calls out, response
 * bytes back.
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.kafka.network.KafkaListener}: the acceptor; refuses connections beyond
 *       {@link dev.tributary.broker.kafka.network.ConnectionLimit} and hands the others round-robin to</li>
 *   <li>{@link dev.tributary.broker.kafka.network.Processor}: a network thread with its own selector, the TLS
 *       transport and {@link dev.tributary.broker.kafka.network.IdleConnections};</li>
 *   <li>{@link dev.tributary.broker.kafka.network.KafkaConnection}: request framing, and responses in request
 *       order;</li>
 *   <li>{@link dev.tributary.broker.kafka.network.RequestDispatcher}: parses a frame, runs its handler on the
 *       request-handler executor, and states which mistakes are answered and which close the connection.</li>
 * </ul>
 *
 * <p>What handlers see of it: {@link dev.tributary.broker.kafka.network.ApiHandler} (one API, its versions),
 * {@link dev.tributary.broker.kafka.network.KafkaRequest} (a parsed request, with the
 * {@link dev.tributary.broker.kafka.network.ConnectionSession} of who sent it) and
 * {@link dev.tributary.broker.kafka.network.CloseConnectionException} (the answer is to close).
 *
 * <p>Rules:
 * <ul>
 *   <li>This package depends on nothing else of {@code kafka}: the handlers, security and the wiring in
 *       {@code KafkaServer} depend on it, never the other way round. Handlers reach it only as {@code ApiHandler}s
 *       given to the dispatcher, and its settings come as a {@link dev.tributary.broker.kafka.network.NetworkConfig}.
 *   </li>
 *   <li>Everything about a connection happens on its processor's thread; a handler's result comes back to it
 *       through a queue and a selector wake-up, never by touching the connection from a handler thread.</li>
 *   <li>A connection reads its next request only once the one before is released (answered, or released early by
 *       its handler), and writes responses in request order.</li>
 *   <li>No request, however malformed, takes a network thread down: the worst it does is close its own
 *       connection.</li>
 * </ul>
 *
 * <p>Plain Java plus kafka-clients' transport layers; no Jakarta EE types. Threads come from the
 * {@link java.util.concurrent.ThreadFactory} the listener is started with.
 */
package dev.tributary.broker.kafka.network;
