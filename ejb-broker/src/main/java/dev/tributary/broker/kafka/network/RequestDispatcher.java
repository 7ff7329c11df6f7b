package dev.tributary.broker.kafka.network;

import dev.tributary.broker.metrics.BrokerMetrics;
import dev.tributary.broker.metrics.LatencyHistogram;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.network.ByteBufferSend;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Turns request frames into handler calls and handler results into response {@link Send}s.
 *
 * <p>What is answered and what closes the connection follows Kafka's {@code SocketServer}: a header that does not
 * parse (including an unknown api key), an API this broker does not serve, a version outside a handler's range and
 * a body that does not parse close the connection — except ApiVersions, which is answered for any version: an
 * unsupported one gets UNSUPPORTED_VERSION at v0 together with the supported ApiVersions range, so the client can
 * retry with a version both sides know.
 *
 * <p>On a SASL listener a request other than ApiVersions, SaslHandshake and SaslAuthenticate before the connection
 * authenticated closes it, as in Kafka; the first such close per client address is logged at INFO, repeats at FINE.
 *
 * <p>Parsing runs on the network thread; handlers run on the request-handler executor. Every dispatched request
 * is counted and timed per API in {@link BrokerMetrics#requests}, from dispatch until its response is ready
 * (for a parked fetch, that includes its wait).
 */
public final class RequestDispatcher {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
    private final Executor requestHandlers;
    private final BrokerMetrics metrics;
    private final RepeatedRefusals refusals = new RepeatedRefusals();

    public RequestDispatcher(Collection<ApiHandler> handlers, Executor requestHandlers, BrokerMetrics metrics) {
        for (ApiHandler handler : handlers) {
            if (this.handlers.put(handler.apiKey(), handler) != null)
                throw new IllegalArgumentException("Two handlers for " + handler.apiKey());
        }
        if (!this.handlers.containsKey(ApiKeys.API_VERSIONS))
            throw new IllegalArgumentException("No ApiVersions handler");
        this.requestHandlers = requestHandlers;
        this.metrics = metrics;
    }

    /**
     * Parses one frame.
     *
     * @param release what {@link KafkaRequest#releaseConnection()} runs
     * @throws CloseConnectionException if the protocol's answer to this frame is to close the connection (also: a
     *                                  request other than ApiVersions before a SASL connection authenticated)
     */
    KafkaRequest parse(ByteBuffer frame, String connectionId, String clientHost, ConnectionSession session,
                       Runnable release) {
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            throw new CloseConnectionException("Unparseable request header on " + connectionId + ": " + e.getMessage(), e);
        }
        ApiKeys apiKey = header.apiKey();
        short version = header.apiVersion();
        if (!session.mayServe(apiKey))
            throw new CloseConnectionException("Connection " + connectionId + " from " + clientHost + " sent "
                    + apiKey + " before authenticating: this listener wants SASL (is the client's security.protocol "
                    + "SASL_PLAINTEXT or SASL_SSL, with a sasl.mechanism of " + session.mechanisms() + "?)",
                    refusals.levelFor(clientHost, System.nanoTime()));
        ApiHandler handler = handlers.get(apiKey);
        if (apiKey == ApiKeys.API_VERSIONS && !handler.supports(version)) {
            // Not parsed: its layout is unknown. Answered at v0 with UNSUPPORTED_VERSION by the handler.
            ApiVersionsRequest unsupported = new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version);
            return new KafkaRequest(header, unsupported, (short) 0, connectionId, clientHost, session, release);
        }
        if (handler == null)
            throw new CloseConnectionException("Connection " + connectionId + " sent " + apiKey
                    + ", which this broker does not serve");
        if (!handler.supports(version))
            throw new CloseConnectionException("Connection " + connectionId + " sent " + apiKey + " v" + version
                    + "; this broker serves v" + handler.oldestVersion() + " to v" + handler.latestVersion());
        AbstractRequest body;
        try {
            body = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            throw new CloseConnectionException("Malformed " + apiKey + " v" + version + " request on " + connectionId
                    + ": " + e, e);
        }
        return new KafkaRequest(header, body, version, connectionId, clientHost, session, release);
    }

    /**
     * Runs the request's handler.
     *
     * @return the response to send, {@code null} for none, or a failure with {@link CloseConnectionException}
     */
    CompletableFuture<Send> dispatch(KafkaRequest request) {
        ApiHandler handler = handlers.get(request.header().apiKey());
        LatencyHistogram latency = metrics.requests(handler.apiKey());
        long started = System.nanoTime();
        CompletableFuture<AbstractResponse> response;
        try {
            response = CompletableFuture.supplyAsync(() -> handler.handle(request), requestHandlers)
                    .thenCompose(future -> future);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CloseConnectionException("The broker is shutting down", e));
        }
        return response.handle((result, failure) -> {
            latency.record(System.nanoTime() - started);
            return toSend(request, result, unwrap(failure));
        });
    }

    /**
     * Evaluates a raw SASL token (the frame after a SaslHandshake v0, see {@link ConnectionSession}) on the
     * request-handler executor (a PLAIN check costs thousands of hash iterations).
     *
     * @return the server's token as a size-prefixed frame without a response header, or a failure with
     *         {@link CloseConnectionException}: after v0 there is no way to tell the client why, so, as in Kafka, a
     *         failed exchange closes the connection (the session has logged the failure)
     */
    CompletableFuture<Send> dispatchSaslToken(ByteBuffer frame, String connectionId, String clientHost,
                                              ConnectionSession session) {
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return (Send) ByteBufferSend.sizePrefixed(
                            ByteBuffer.wrap(session.authenticate(token, connectionId, clientHost)));
                } catch (AuthenticationException e) {
                    throw new CloseConnectionException(e.getMessage(), Level.FINE);
                }
            }, requestHandlers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CloseConnectionException("The broker is shutting down", e));
        }
    }

    private static Send toSend(KafkaRequest request, AbstractResponse result, Throwable failure) {
        AbstractResponse response = result;
        if (failure instanceof CloseConnectionException close)
            throw close;
        if (failure != null) {
            String what = request.header().apiKey() + " v" + request.version() + " (correlation id "
                    + request.header().correlationId() + ") from " + request.connectionId();
            Errors error = Errors.forException(failure);
            if (error == Errors.UNKNOWN_SERVER_ERROR) {
                LOG.log(Level.WARNING, "Error handling " + what, failure);
            } else {
                // A client's mistake, answered with its Kafka error: no stack trace in the server log.
                LOG.fine(() -> what + " answered with " + error + ": " + failure.getMessage());
            }
            response = request.body().getErrorResponse(failure);
        }
        if (response == null)
            return null;
        return response.toSend(request.header().toResponseHeader(), request.responseVersion());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null)
            t = t.getCause();
        return t;
    }
}
