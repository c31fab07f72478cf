package dev.agentchat.sse;

import io.micronaut.http.annotation.FilterMatcher;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the routes that answer with {@link SseStream#answer}, and {@link SseStreamFilter}, which
 * applies to them alone. A filter bound by path would match every request's path against its
 * patterns; one bound to the routes is skipped by an annotation check.
 */
@FilterMatcher
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface EventStreamRoute {
}
