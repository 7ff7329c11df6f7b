package dev.tributary.rest;

import dev.tributary.broker.log.LogCorruptionException;
import dev.tributary.broker.log.LogFullException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/** The HTTP status that says to a REST client what a Kafka error code says to a Kafka client. */
final class HttpStatusOfKafkaError {

    private HttpStatusOfKafkaError() {
    }

    /**
     * A full disk is 507 Insufficient Storage, and corrupt data 500 Internal Server Error (the broker's own data went
     * bad), though Kafka calls both a storage error like an offline log (503).
     */
    static int of(ApiException failure) {
        if (failure instanceof LogFullException)
            return 507;
        if (failure instanceof LogCorruptionException)
            return 500;
        return of(Errors.forException(failure));
    }

    static int of(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, GROUP_ID_NOT_FOUND -> 404;
            case TOPIC_ALREADY_EXISTS, NON_EMPTY_GROUP -> 409;
            case OFFSET_OUT_OF_RANGE -> 416;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> 413;
            // a group's coordinator on another broker, or one still loading it, is this broker unable to serve it
            // now, as for a partition led elsewhere
            case KAFKA_STORAGE_ERROR, NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS,
                 NOT_ENOUGH_REPLICAS_AFTER_APPEND, NETWORK_EXCEPTION, BROKER_NOT_AVAILABLE, NOT_COORDINATOR,
                 COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE -> 503;
            // the records are in the leader's log but not yet on every in-sync replica: maybe written, so a
            // gateway's timeout rather than a refusal
            case REQUEST_TIMED_OUT -> 504;
            case INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG,
                 CORRUPT_MESSAGE, INVALID_RECORD, INVALID_TIMESTAMP, INVALID_REQUEST, POLICY_VIOLATION,
                 INVALID_GROUP_ID -> 400;
            default -> 500;
        };
    }

    /** Reason phrases JAX-RS's Status enum lacks. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            case 507 -> "Insufficient Storage";
            default -> "HTTP " + status;
        };
    }
}
