package dev.agentchat.system;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.BeanDefinitionReference;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code agent-chat.*} settings, found where they are declared: the components of our settings
 * records and the {@code @Value} parameters of our beans. This is the one list of the known settings.
 * Every bean is looked at, also one this run leaves out (the Redis beans without a Redis URL), so a
 * setting is known whatever else is set.
 */
public final class DeclaredSettings {
    /** The prefix of every setting of ours. */
    public static final String PREFIX = "agent-chat.";
    private static final String OURS = "dev.agentchat.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(agent-chat\\.[a-z0-9.-]+)(?::[^}]*)?}");

    private final Map<String, Class<?>> types = new TreeMap<>();
    private final List<BeanDefinition<?>> records = new ArrayList<>();

    public DeclaredSettings(BeanContext context) {
        List<BeanDefinitionReference> references = new ArrayList<>();
        SoftServiceLoader.load(BeanDefinitionReference.class, context.getClassLoader()).collectAll(references);
        for (BeanDefinitionReference reference : references) {
            if (reference.getBeanDefinitionName().startsWith(OURS) && reference.isPresent()) {
                read(reference.load(context));
            }
        }
    }

    private void read(BeanDefinition<?> definition) {
        Class<?> type = definition.getBeanType();
        Optional<String> prefix = definition.stringValue(ConfigurationReader.class, ConfigurationReader.PREFIX);
        if (prefix.isPresent() && type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                types.put(prefix.get() + "." + NameUtils.hyphenate(component.getName()), component.getType());
            }
            records.add(definition);
        }
        for (Argument<?> argument : definition.getConstructor().getArguments()) {
            Matcher key = PLACEHOLDER.matcher(argument.getAnnotationMetadata().stringValue(Value.class).orElse(""));
            if (key.matches()) {
                types.put(key.group(1), argument.getType());
            }
        }
    }

    /** Each setting's key ({@code agent-chat.limits.streams-total}) and the type its value becomes. */
    public Map<String, Class<?>> types() {
        return Collections.unmodifiableMap(types);
    }

    /** The settings records ({@code @ConfigurationProperties}), whether or not this run uses them. */
    List<BeanDefinition<?>> records() {
        return Collections.unmodifiableList(records);
    }
}
