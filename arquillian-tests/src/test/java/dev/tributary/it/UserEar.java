package dev.tributary.it;

import dev.tributary.it.earapp.UserResource;
import dev.tributary.it.jcaapp.Received;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A user's own EAR with Tributary inside, laid out as the Maven snippet in docs/jakarta-ee.md builds it: the modules
 * of tributary.ear (broker EJB module, REST WAR, libraries), the resource adapter as a connector module, and the
 * user's WAR (package {@code earapp}) at {@code /user-app}.
 */
final class UserEar {

    private static final String APPLICATION_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <application xmlns="https://jakarta.ee/xml/ns/jakartaee" version="10">
              <application-name>user-app</application-name>
              <initialize-in-order>true</initialize-in-order>
              <module><connector>tributary-jca.rar</connector></module>
              <module><ejb>tributary-broker.jar</ejb></module>
              <module><web><web-uri>tributary.war</web-uri><context-root>/</context-root></web></module>
              <module><web><web-uri>user.war</web-uri><context-root>/user-app</context-root></web></module>
              <library-directory>lib</library-directory>
            </application>
            """;

    private UserEar() {
    }

    /** Writes {@code user-app.ear} to {@code dir}. */
    static Path assemble(Path dir) {
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class,
                ItEnvironment.deployment("tributary.ear").toFile());
        ear.delete("META-INF/application.xml");
        ear.setApplicationXML(new StringAsset(APPLICATION_XML));
        ear.addAsModule(ItEnvironment.deployment("tributary-jca.rar").toFile(), "tributary-jca.rar");
        ear.addAsModule(ShrinkWrap.create(WebArchive.class, "user.war")
                .addPackage(UserResource.class.getPackage()).addClass(Received.class));
        Path file = dir.resolve("user-app.ear");
        ear.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }
}
