package dev.tributary.rest;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.io.PushbackInputStream;

/**
 * Reads a request without a body as a null body, so that the resource method says what body it expects, as it does
 * for a JSON {@code null}. Left to Jersey, an empty body sent with a JSON content type fails inside the JSON
 * provider and is answered with a bare "HTTP 400 Bad Request" that names nothing.
 */
@Provider
public class EmptyBodyInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        PushbackInputStream body = new PushbackInputStream(context.getInputStream(), 1);
        int first = body.read();
        if (first < 0) {
            return null;
        }
        body.unread(first);
        context.setInputStream(body);
        return context.proceed();
    }
}
