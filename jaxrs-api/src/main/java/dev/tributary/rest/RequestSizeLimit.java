package dev.tributary.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies so that a huge upload is refused with 413 before it is buffered: a declared Content-Length
 * over the cap is refused at once; a chunked body is counted as it is read.
 *
 * <p>The body is also never read past its declared length. A JSON parser that meets a truncated document asks for
 * more; when the client sent {@code Upgrade: h2c} (Java's HttpClient does by default), Grizzly then blocks waiting
 * for bytes that will never come, and the client never gets its 400.
 */
@Provider
public class RequestSizeLimit implements ContainerRequestFilter {

    /** Generous for JSON + base64 of a default max.message.bytes (1 MiB) batch, small enough to never hurt the heap. */
    static final long MAX_REQUEST_BYTES = 16L << 20;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        request.setEntityStream(new BoundedBody(request.getEntityStream(), request.getLength()));
    }

    private static RequestTooLargeException tooLarge() {
        return new RequestTooLargeException("Request body exceeds " + MAX_REQUEST_BYTES + " bytes");
    }

    static final class BoundedBody extends FilterInputStream {
        /** The declared Content-Length, or -1 for a chunked body. */
        private final long declared;
        private long read;

        BoundedBody(InputStream in, long declared) {
            super(in);
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            if (atDeclaredEnd()) {
                return -1;
            }
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (atDeclaredEnd()) {
                return -1;
            }
            int allowed = declared >= 0 ? (int) Math.min(length, declared - read) : length;
            int n = super.read(buffer, offset, allowed);
            count(Math.max(n, 0));
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private boolean atDeclaredEnd() {
            return declared >= 0 && read >= declared;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_REQUEST_BYTES) {
                throw tooLarge();
            }
        }
    }
}
