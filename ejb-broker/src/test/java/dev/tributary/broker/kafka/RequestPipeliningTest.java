package dev.tributary.broker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tributary.broker.metrics.BrokerMetrics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
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
        listener = KafkaListener.bind(KafkaListenerConfig.of("127.0.0.1", 0));
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

            Received one = received.poll(20, TimeUnit.SECONDS);
            Received two = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(two, "the second request is dispatched while the first is unanswered");
            assertEquals(1, one.correlationId());
            assertEquals(2, two.correlationId());

            two.answer().complete(new ListGroupsResponse(new ListGroupsResponseData()));
            one.answer().complete(new ListGroupsResponse(new ListGroupsResponseData()));
            assertEquals(1, correlationIdOf(socket.receiveFrame(), first));
            assertEquals(2, correlationIdOf(socket.receiveFrame(), second));
        }
    }

    private static int correlationIdOf(byte[] frame, RequestHeader header) {
        return ResponseHeader.parse(ByteBuffer.wrap(frame), header.apiKey().responseHeaderVersion(header.apiVersion()))
                .correlationId();
    }
}
