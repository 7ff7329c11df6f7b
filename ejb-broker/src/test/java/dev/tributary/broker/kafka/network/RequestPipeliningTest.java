package dev.tributary.broker.kafka.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tributary.broker.kafka.KafkaListenerConfig;
import dev.tributary.broker.kafka.RawKafkaSocket;
import dev.tributary.broker.kafka.handlers.ApiVersionsHandler;
import dev.tributary.broker.metrics.BrokerMetrics;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that releases its connection early lets the connection's next request be dispatched while the first is
 * still unanswered (what lets a producer's fsyncs overlap), and the responses still go out in request order.
 */
class RequestPipeliningTest {

    /** Requests as the handler receives them, with the future that answers each. */
    private record Received(int correlationId, CompletableFuture<AbstractResponse> answer) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ExecutorService handlerThreads = Executors.newFixedThreadPool(2);
    private KafkaListener listener;

    /** Answers ListGroups only when the test says so, releasing the connection at once. */
    private final class ReleasingHandler implements ApiHandler {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.LIST_GROUPS;
        }

        @Override
        public short oldestVersion() {
            return ApiKeys.LIST_GROUPS.oldestVersion();
        }

        @Override
        public short latestVersion() {
            return ApiKeys.LIST_GROUPS.latestVersion();
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
            CompletableFuture<AbstractResponse> answer = new CompletableFuture<>();
            request.releaseConnection();
            received.add(new Received(request.header().correlationId(), answer));
            return answer;
        }
    }

    @BeforeEach
    void start() {
        List<ApiHandler> handlers = List.of(new ReleasingHandler());
        List<ApiHandler> all = List.of(handlers.get(0), new ApiVersionsHandler(handlers));
        listener = KafkaListener.bind(KafkaListenerConfig.of("127.0.0.1", 0).network());
        listener.start(new RequestDispatcher(all, handlerThreads, new BrokerMetrics()), Thread::new);
    }

    @AfterEach
    void stop() {
        listener.close();
        handlerThreads.shutdownNow();
    }

    @Test
    void releasedRequestLetsTheNextOneInAndResponsesKeepRequestOrder() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(listener.port())) {
            ListGroupsRequest request = new ListGroupsRequest.Builder(new ListGroupsRequestData()).build((short) 4);
            RequestHeader first = new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "pipelined", 1);
            RequestHeader second = new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "pipelined", 2);
            socket.send(first, request);
            socket.send(second, request);

            // Two handler threads: the two may reach their handler in either order.
            Map<Integer, Received> dispatched = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                Received next = received.poll(20, TimeUnit.SECONDS);
                assertNotNull(next, "the second request is dispatched while the first is unanswered");
                dispatched.put(next.correlationId(), next);
            }
            Received one = dispatched.get(1);
            Received two = dispatched.get(2);
            assertEquals(Set.of(1, 2), dispatched.keySet());

            two.answer().complete(new ListGroupsResponse(new ListGroupsResponseData()));
            one.answer().complete(new ListGroupsResponse(new ListGroupsResponseData()));
            assertEquals(1, correlationIdOf(socket.receiveFrame(), first));
            assertEquals(2, correlationIdOf(socket.receiveFrame(), second));
        }
    }

    @Test
    void aClientErrorIsAnsweredWithItsKafkaErrorAndLoggedWithoutAStackTrace() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger dispatcherLog = Logger.getLogger(RequestDispatcher.class.getName());
        dispatcherLog.addHandler(capture);
        try (RawKafkaSocket socket = new RawKafkaSocket(listener.port())) {
            RequestHeader header = new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "mistaken", 7);
            socket.send(header, new ListGroupsRequest.Builder(new ListGroupsRequestData()).build((short) 4));
            received.poll(20, TimeUnit.SECONDS).answer()
                    .completeExceptionally(new InvalidRequestException("no such thing"));

            ByteBuffer frame = ByteBuffer.wrap(socket.receiveFrame());
            ResponseHeader.parse(frame, header.apiKey().responseHeaderVersion(header.apiVersion()));
            ListGroupsResponse response = (ListGroupsResponse) AbstractResponse.parseResponse(ApiKeys.LIST_GROUPS,
                    new ByteBufferAccessor(frame), (short) 4);
            assertEquals(Errors.INVALID_REQUEST.code(), response.data().errorCode());

            socket.send(new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "broken", 8),
                    new ListGroupsRequest.Builder(new ListGroupsRequestData()).build((short) 4));
            received.poll(20, TimeUnit.SECONDS).answer().completeExceptionally(new IllegalStateException("bug"));
            socket.receiveFrame();
        } finally {
            dispatcherLog.removeHandler(capture);
        }
        List<LogRecord> withStackTraces = logged.stream().filter(r -> r.getThrown() != null).toList();
        assertEquals(1, withStackTraces.size(), "only the unexpected failure has a stack trace");
        assertEquals(IllegalStateException.class, withStackTraces.get(0).getThrown().getClass());
    }

    private static int correlationIdOf(byte[] frame, RequestHeader header) {
        return ResponseHeader.parse(ByteBuffer.wrap(frame), header.apiKey().responseHeaderVersion(header.apiVersion()))
                .correlationId();
    }
}
