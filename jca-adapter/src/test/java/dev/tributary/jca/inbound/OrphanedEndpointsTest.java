package dev.tributary.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.jca.api.RecordListener;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;

class OrphanedEndpointsTest {

    @Test
    void namesOnlyTheBeansWhoseApplicationStillRunsThenForgetsThem() throws Exception {
        OrphanedEndpoints orphans = new OrphanedEndpoints();
        orphans.deactivated(activation(new Bean("shop#web#OrdersListener", true), "orders"));
        orphans.deactivated(activation(new Bean("gone#web#AuditListener", false), "audit"));

        assertEquals(List.of("shop#web#OrdersListener (group orders-group, topics orders)"), orphans.stillRunning(),
                "a bean whose application was undeployed hands out no endpoint: not an orphan");
        assertEquals(List.of(), orphans.stillRunning(), "reported once, as the adapter stops");
    }

    private static EndpointActivation activation(MessageEndpointFactory bean, String topic) throws Exception {
        TributaryActivationSpec spec = new TributaryActivationSpec();
        spec.setTopics(topic);
        spec.setGroupId(topic + "-group");
        return new EndpointActivation(bean, spec, null, timeout -> null);
    }

    /** A bean whose application runs (hands out endpoints) or was undeployed (refuses them, as containers do). */
    private record Bean(String activationName, boolean running) implements MessageEndpointFactory {

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
            return createEndpoint(xaResource, 0);
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
            if (!running) {
                throw new UnavailableException("undeployed");
            }
            return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MessageEndpoint.class, RecordListener.class}, (proxy, method, args) -> null);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return false;
        }

        @Override
        public String getActivationName() {
            return activationName;
        }

        @Override
        public Class<?> getEndpointClass() {
            return RecordListener.class;
        }
    }
}
