package dev.tributary.broker.kafka.network;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A parsed request as handlers see it.
 *
 * @param header          the request header (api key, version, correlation id, client id)
 * @param body            the parsed body; its {@code version()} is the version to answer with, except for the
 *                        ApiVersions request of an unsupported version, which is answered at v0 (see
 *                        {@link #responseVersion})
 * @param responseVersion the version the response is serialized at
 * @param connectionId    the connection it came on, for logs
 * @param clientHost      the client's address, as group descriptions show it
 * @param session         who is on the connection (its principal, its SASL exchange)
 * @param release         lets the connection read its next request before this one is answered
 */
public record KafkaRequest(RequestHeader header, AbstractRequest body, short responseVersion, String connectionId,
                           String clientHost, ConnectionSession session, Runnable release) {

    /**
     * Lets the connection read and dispatch its next request while this one is still being answered; responses
     * still go out in request order. For handlers whose order-sensitive work is done early: a Produce once its
     * batches are appended (the next request of the same producer must be appended after them), before it waits
     * for their fsync. Every other request releases the connection when it is answered.
     */
    public void releaseConnection() {
        release.run();
    }

    public short version() {
        return body.version();
    }

    public <T extends AbstractRequest> T body(Class<T> type) {
        return type.cast(body);
    }
}
