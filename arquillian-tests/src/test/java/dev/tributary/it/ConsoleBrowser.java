package dev.tributary.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The broker's console in a headless Chromium, as an operator uses it: open a page, fill a form, wait for what it
 * shows; plus what the tests check on a page (axe-core, timings) and screenshots.
 */
final class ConsoleBrowser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final URI console;
    private final Path screenshots;

    ConsoleBrowser(URI serverBase, Path workDir, Path screenshots) {
        this.driver = HeadlessChromium.start(workDir, 1280, 900);
        this.console = serverBase.resolve("console/");
        this.screenshots = screenshots;
    }

    /** Opens the console afresh (a reload: the login held in memory is gone). */
    void open() {
        driver.get(console.toString());
        await("the console to load", () -> !driver.findElements(By.cssSelector("main h1")).isEmpty());
    }

    void logIn(String user, String password) {
        await("the login form", () -> !driver.findElements(By.name("username")).isEmpty());
        type(By.name("username"), user);
        type(By.name("password"), password);
        driver.findElement(By.cssSelector("form[aria-label='Sign in'] button[type=submit]")).click();
    }

    /** Navigates within the console (a hash route, e.g. {@code #/topics}) and waits for its heading. */
    void go(String hash, String heading) {
        driver.executeScript("location.hash = arguments[0]", hash.startsWith("#") ? hash.substring(1) : hash);
        awaitHeading(heading);
    }

    void awaitHeading(String heading) {
        await("heading '" + heading + "'", () -> driver.findElements(By.cssSelector("main h1")).stream()
                .anyMatch(h -> h.getText().equals(heading)));
    }

    /** Waits until {@code what} is in the page: parts of a page may render after its heading. */
    WebElement awaitPresent(By what) {
        await(what + " in the page", () -> !driver.findElements(what).isEmpty());
        return driver.findElement(what);
    }

    void type(By field, String text) {
        WebElement element = awaitPresent(field);
        element.clear();
        element.sendKeys(text);
    }

    void select(By field, String value) {
        driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));"
                + "arguments[0].dispatchEvent(new Event('change'))", awaitPresent(field), value);
    }

    void click(By what) {
        awaitPresent(what).click();
    }

    WebElement find(By what) {
        return driver.findElement(what);
    }

    List<WebElement> findAll(By what) {
        return driver.findElements(what);
    }

    boolean has(By what) {
        return !driver.findElements(what).isEmpty();
    }

    String text(By what) {
        return driver.findElement(what).getText();
    }

    /** Waits for an element whose text contains {@code text}; returns it. */
    WebElement awaitText(By where, String text) {
        await("'" + text + "' in " + where, () -> driver.findElements(where).stream()
                .anyMatch(e -> e.getText().contains(text)));
        return driver.findElements(where).stream().filter(e -> e.getText().contains(text)).findFirst().orElseThrow();
    }

    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** A script that ends by calling its last argument (Selenium's asynchronous script); returns what it passed. */
    Object asyncScript(String script, Object... arguments) {
        return driver.executeAsyncScript(script, arguments);
    }

    /** Polls {@code condition} (page errors count as not yet) until it holds; fails naming {@code what}. */
    void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (WebDriverException stale) {
                // the page re-rendered under us: try again
            }
            if (System.nanoTime() > deadline) {
                screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
                fail("Waited " + WAIT.toSeconds() + " s for " + what + "; the page shows:\n"
                        + driver.findElement(By.tagName("body")).getText());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Saves a PNG of the window under the screenshot directory; returns its path. */
    Path screenshot(String name) {
        try {
            Path file = Files.createDirectories(screenshots).resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs axe-core (injected here, by the test only: the console never loads it) over the page; returns the
     * violations of impact serious or critical, each as "rule: description (nodes)".
     */
    @SuppressWarnings("unchecked")
    List<String> seriousAccessibilityViolations() {
        driver.executeScript(axeSource());
        Object result = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')),"
                + " e => done(['axe failed: ' + e]))");
        return (List<String>) result;
    }

    /** Numbers the pages publish about their own rendering ({@code window.tributaryTimings}). */
    @SuppressWarnings("unchecked")
    Map<String, Number> timings() {
        return (Map<String, Number>) driver.executeScript("return window.tributaryTimings || {}");
    }

    private static String axeSource() {
        try (InputStream in = ConsoleBrowser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
