package dev.tributary.rest;

/** A request whose content is wrong in a way only the REST layer can see (both key and keyBase64, bad base64...). */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
