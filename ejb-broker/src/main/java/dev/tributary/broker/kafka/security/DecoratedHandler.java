package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import org.apache.kafka.common.protocol.ApiKeys;

/** A handler in front of another one, serving the same API and versions (authorization, quotas). */
abstract class DecoratedHandler implements ApiHandler {

    protected final ApiHandler handler;

    DecoratedHandler(ApiHandler handler) {
        this.handler = handler;
    }

    @Override
    public final ApiKeys apiKey() {
        return handler.apiKey();
    }

    @Override
    public final short oldestVersion() {
        return handler.oldestVersion();
    }

    @Override
    public final short latestVersion() {
        return handler.latestVersion();
    }
}
