package dev.tributary.rest.dto;

/**
 * An RFC 9457 problem detail. {@code errorCode} names the Kafka error the failure corresponds to, so a client
 * can react to it without parsing {@code detail}.
 */
public record Problem(String type, String title, int status, String detail, String instance, String errorCode) {
}
