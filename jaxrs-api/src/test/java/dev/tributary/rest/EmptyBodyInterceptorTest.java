package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmptyBodyInterceptorTest {

    @Test
    void anEmptyBodyReadsAsNullSoTheResourceSaysWhatItExpects() throws Exception {
        assertNull(new EmptyBodyInterceptor().aroundReadFrom(context("")));
    }

    @Test
    void anyOtherBodyReachesTheReaderWhole() throws Exception {
        assertEquals("{\"name\":\"t\"}", new EmptyBodyInterceptor().aroundReadFrom(context("{\"name\":\"t\"}")));
        assertEquals(" ", new EmptyBodyInterceptor().aroundReadFrom(context(" ")), "the parser judges blanks");
    }

    /** A context whose reader returns the whole body as text. */
    private static ReaderInterceptorContext context(String body) {
        InputStream[] stream = {new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))};
        return (ReaderInterceptorContext) Proxy.newProxyInstance(EmptyBodyInterceptorTest.class.getClassLoader(),
                new Class<?>[] {ReaderInterceptorContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> stream[0];
                    case "setInputStream" -> {
                        stream[0] = (InputStream) args[0];
                        yield null;
                    }
                    case "proceed" -> new String(stream[0].readAllBytes(), StandardCharsets.UTF_8);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
