package dev.tributary.it;

import dev.tributary.broker.testing.DebianPackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver, driven by Selenium: installed with apt-get when missing and we are root (as the
 * PostgreSQL fixture installs PostgreSQL); nothing is downloaded by Selenium itself (its driver manager is never
 * asked: the driver's path is given). Each browser gets a fresh profile and no network of its own (no component
 * updates, sync or QUIC), so it only talks to the broker under test.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new headless browser with a window of width × height and a fresh profile under {@code workDir}. */
    static ChromeDriver start(Path workDir, int width, int height) {
        installIfMissing();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        try {
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                    "--user-data-dir=" + Files.createTempDirectory(Files.createDirectories(workDir), "chromium-profile-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(workDir.resolve("chromedriver.log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return driver;
    }

    private static void installIfMissing() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("Chromium is not installed: apt-get install chromium chromium-driver");
        }
        // A machine's package lists may be missing or stale: update them once if the first try fails.
        if (!aptGet("install", "-y", "-q", "chromium", "chromium-driver")) {
            aptGet("update", "-q");
            aptGet("install", "-y", "-q", "chromium", "chromium-driver");
        }
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("apt-get install chromium chromium-driver did not install "
                    + BROWSER + " and " + DRIVER);
        }
    }

    private static boolean aptGet(String... arguments) {
        List<String> command = new ArrayList<>(DebianPackages.APT_GET);
        command.addAll(List.of(arguments));
        ProcessBuilder apt = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            return apt.start().waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
