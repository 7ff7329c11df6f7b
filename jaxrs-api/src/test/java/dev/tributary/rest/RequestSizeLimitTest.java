package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RequestSizeLimitTest {

    @Test
    void neverReadsPastTheDeclaredLength() throws IOException {
        InputStream underlying = new ByteArrayInputStream("{\"a\":1}TRAILING".getBytes());
        RequestSizeLimit.BoundedBody body = new RequestSizeLimit.BoundedBody(underlying, 7);
        assertArrayEquals("{\"a\":1}".getBytes(), body.readAllBytes());
        assertEquals(-1, body.read());
        assertEquals("TRAILING".length(), underlying.available(), "the bytes after the body were never touched");
    }

    @Test
    void refusesAnUndeclaredBodyOnceItPassesTheCap() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        RequestSizeLimit.BoundedBody body = new RequestSizeLimit.BoundedBody(endless, -1);
        assertThrows(RequestTooLargeException.class, () -> body.readNBytes((int) RequestSizeLimit.MAX_REQUEST_BYTES + 10));
    }

    /** The client that is still sending gets its 413 rather than a reset: the refused body is read first. */
    @Test
    void aRefusedBodyOfReasonableSizeIsReadToItsEndButNoFurther() throws IOException {
        int declared = (int) RequestSizeLimit.MAX_REQUEST_BYTES + 1;
        InputStream underlying = new ByteArrayInputStream(new byte[declared + 5]);
        RequestSizeLimit.discardDeclaredBody(underlying, declared);
        assertEquals(5, underlying.available());
    }

    @Test
    void aHugeRefusedBodyIsNotRead() throws IOException {
        InputStream underlying = new ByteArrayInputStream(new byte[1024]);
        RequestSizeLimit.discardDeclaredBody(underlying, RequestSizeLimit.MAX_DISCARDED_BYTES + 1);
        assertEquals(1024, underlying.available());
    }

    /** A parser that keeps asking at the end (Parsson skipping an unterminated array) gets an error, not a loop. */
    @Test
    void aReaderThatKeepsAskingPastTheEndIsStopped() throws IOException {
        RequestSizeLimit.BoundedBody body = new RequestSizeLimit.BoundedBody(
                new ByteArrayInputStream("{\"x\":[0,".getBytes()), 7);
        body.readAllBytes();
        for (int i = 1; i < RequestSizeLimit.BoundedBody.MAX_READS_AT_END; i++) {
            assertEquals(-1, body.read(new byte[8], 0, 8));
        }
        assertThrows(IOException.class, () -> body.read(new byte[8], 0, 8));
    }
}
