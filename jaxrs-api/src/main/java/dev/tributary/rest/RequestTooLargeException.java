package dev.tributary.rest;

/**
 * A request body over {@link RequestSizeLimit#MAX_REQUEST_BYTES}: answered with 413. Not a JAX-RS exception, since
 * it is usually thrown from inside the JSON parser, which wraps whatever it meets; the mapper looks for it
 * among the causes.
 */
public class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException(String message) {
        super(message);
    }
}
