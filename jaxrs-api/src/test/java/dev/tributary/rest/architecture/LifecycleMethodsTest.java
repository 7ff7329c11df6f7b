package dev.tributary.rest.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A {@code @PostConstruct} or {@code @PreDestroy} method that declares a checked exception makes the server refuse
 * the whole application at deployment (Payara: "The lifecycle method must not throw a checked exception"), which no
 * unit test of the bean itself would notice.
 */
class LifecycleMethodsTest {

    private static final JavaClasses REST = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void lifecycleMethodsDeclareNoCheckedException() {
        methods().that().areAnnotatedWith(PostConstruct.class).or().areAnnotatedWith(PreDestroy.class)
                .should(new ArchCondition<JavaMethod>("declare no checked exception") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        for (JavaClass thrown : method.getThrowsClause().getTypes()) {
                            if (!thrown.isAssignableTo(RuntimeException.class) && !thrown.isAssignableTo(Error.class)) {
                                events.add(SimpleConditionEvent.violated(method,
                                        method.getFullName() + " declares " + thrown.getName()));
                            }
                        }
                    }
                })
                .allowEmptyShould(false)
                .check(REST);
    }
}
