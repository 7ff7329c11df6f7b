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

    /**
     * A body declared larger than the cap but no larger than this is read and thrown away before the 413 is sent.
     * Answering while the client is still sending, and closing, makes the client's socket receive a reset that can
     * wipe the answer before it is read ("header parser received no bytes"): the client learns nothing. Beyond this
     * the connection is closed unread, as a guard against being made to read without end.
     */
    static final long MAX_DISCARDED_BYTES = 64L << 20;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > MAX_REQUEST_BYTES) {
            discardDeclaredBody(request.getEntityStream(), request.getLength());
            throw tooLarge();
        }
        request.setEntityStream(new BoundedBody(request.getEntityStream(), request.getLength()));
    }

    /** Reads and drops a refused body of {@code declared} bytes if it is small enough to be worth it. */
    static void discardDeclaredBody(InputStream body, long declared) throws IOException {
        if (declared > MAX_DISCARDED_BYTES) {
            return;
        }
        byte[] buffer = new byte[64 << 10];
        long left = declared; // never past the declared end: see the class comment
        for (int n = 0; left > 0 && n >= 0; left -= Math.max(n, 0)) {
            n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
        }
    }

    private static RequestTooLargeException tooLarge() {
        return new RequestTooLargeException("Request body exceeds " + MAX_REQUEST_BYTES + " bytes");
    }

    static final class BoundedBody extends FilterInputStream {
        /**
         * Reads answered "end of body" before the body counts as read past its end: Parsson skipping an unknown
         * property's unterminated array asks again and again, forever, on one request thread.
         */
        static final int MAX_READS_AT_END = 16;
        /** The declared Content-Length, or -1 for a chunked body. */
        private final long declared;
        private long read;
        private int readsAtEnd;

        BoundedBody(InputStream in, long declared) {
            super(in);
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            if (atDeclaredEnd()) {
                return end();
            }
            int b = super.read();
            if (b < 0) {
                return end();
            }
            count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (atDeclaredEnd()) {
                return end();
            }
            int allowed = declared >= 0 ? (int) Math.min(length, declared - read) : length;
            int n = super.read(buffer, offset, allowed);
            if (n < 0) {
                return end();
            }
            count(n);
            return n;
        }

        private int end() throws IOException {
            if (++readsAtEnd > MAX_READS_AT_END) {
                throw new IOException("The body ended where the JSON document needs more");
            }
            return -1;
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
