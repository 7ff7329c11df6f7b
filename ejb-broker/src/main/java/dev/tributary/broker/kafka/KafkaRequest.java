package dev.tributary.broker.kafka;

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
 */
record KafkaRequest(RequestHeader header, AbstractRequest body, short responseVersion, String connectionId,
                    String clientHost) {

    short version() {
        return body.version();
    }

    <T extends AbstractRequest> T body(Class<T> type) {
        return type.cast(body);
    }
}
