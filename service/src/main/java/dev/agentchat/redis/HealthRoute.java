package dev.agentchat.redis;

import io.micronaut.http.annotation.FilterMatcher;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the health route, and the filters that apply to it alone ({@link RedisHealthFilter}): bound
 * to the route as well as to its path, they cost every other routed request an annotation check
 * instead of a path match.
 */
@FilterMatcher
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface HealthRoute {
}
