package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The console of a broker started with {@code --insecure}: no login, and a banner saying that anyone gets in. */
class ConsoleInsecureIT {

    @Test
    void letsEveryoneInAndSaysSoInABanner() {
        Path work = ItEnvironment.workDir("console-insecure");
        try (MicroBroker broker = MicroBroker.start(work.resolve("data"), work.resolve("broker.log"), List.of(),
                List.of("create-system-properties tributary.security.enabled=false"));
             ConsoleBrowser browser = new ConsoleBrowser(broker.serverBase(), work, work.resolve("screenshots"))) {
            browser.open();
            browser.awaitHeading("Overview");
            assertTrue(browser.find(By.id("insecure-banner")).isDisplayed());
            assertTrue(browser.text(By.id("insecure-banner")).contains("--insecure"));
            assertTrue(browser.text(By.id("who")).startsWith("anonymous"));
            assertFalse(browser.has(By.cssSelector("#who button")), "nothing to sign out of");
            browser.awaitText(By.cssSelector("#broker-stats tbody tr"), "(this broker)"); // no credentials to pass on
            browser.go("#/security", "Security");
            assertEquals(List.of(), browser.seriousAccessibilityViolations());
        }
    }
}
