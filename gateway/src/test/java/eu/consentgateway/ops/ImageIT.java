package eu.consentgateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import eu.consentgateway.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image tar that {@code jib:buildTar} wrote: its configuration, its layers, and the gateway started from its
 * unpacked root filesystem the way a container runtime starts it (own mount namespace, root filesystem read-only,
 * a tmpfs on /tmp, /proc, the image's user and entrypoint), against the real PostgreSQL and Redis.
 */
class ImageIT {
  private static final Path TAR = Path.of(System.getProperty("cg.image.tar", "target/consent-gateway-image.tar"));
  private static final int UID = 65532;
  private static Path work;
  private static Path rootfs;
  private static JsonObject config;
  private static List<String> layerListings;

  @BeforeAll
  static void unpack() throws Exception {
    assertTrue(Files.isRegularFile(TAR), TAR + " is missing: jib:buildTar runs in the package phase (mvn verify)");
    work = Files.createTempDirectory("cg-image-");
    run(Duration.ofSeconds(60), "tar", "-xf", TAR.toString(), "-C", work.toString());
    JsonArray manifest = new JsonArray(Files.readString(work.resolve("manifest.json")));
    JsonObject entry = manifest.getJsonObject(0);
    assertEquals(System.getProperty("cg.image.name", "consent-gateway:0.1.0-SNAPSHOT"),
        entry.getJsonArray("RepoTags").getString(0));
    config = new JsonObject(Files.readString(work.resolve(entry.getString("Config")))).getJsonObject("config");
    rootfs = Files.createDirectory(work.resolve("rootfs"));
    layerListings = new ArrayList<>();
    for (Object layer : entry.getJsonArray("Layers")) {
      String tarball = work.resolve((String) layer).toString();
      layerListings.add(run(Duration.ofSeconds(60), "tar", "--warning=no-unknown-keyword", "-tvzf", tarball));
      run(Duration.ofSeconds(120), "tar", "--warning=no-unknown-keyword", "-xzf", tarball, "-C", rootfs.toString(), "--no-same-owner");
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void configRunsJavaAsANumericNonRootUserSizedByTheContainersMemory() {
    String user = config.getString("User");
    assertEquals(UID + ":" + UID, user, "numeric, so runAsNonRoot can check it");
    List<String> entrypoint = config.getJsonArray("Entrypoint").getList();
    assertEquals("/opt/java/bin/java", entrypoint.get(0));
    assertTrue(entrypoint.contains("-XX:MaxRAMPercentage=50"), entrypoint.toString());
    assertFalse(entrypoint.stream().anyMatch(a -> a.startsWith("-Xmx")), "a fixed heap ignores the limit: " + entrypoint);
    assertTrue(entrypoint.contains("-XX:-UsePerfData"), "no hsperfdata file: " + entrypoint);
    assertEquals("eu.consentgateway.Main", entrypoint.get(entrypoint.size() - 1));
    assertEquals(Map.of("8080/tcp", Map.of(), "9090/tcp", Map.of()), config.getJsonObject("ExposedPorts").getMap());
    assertTrue(config.getJsonObject("Volumes").containsKey("/tmp"));
  }

  @Test
  void layersHoldTheRuntimeTheDependenciesAndTheGatewayJar() {
    String all = String.join("\n", layerListings);
    List<String> lines = all.lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.matches(".* app/classpath/gateway-[^ ]+\\.jar")), "the gateway jar:\n" + all);
    assertTrue(lines.stream().anyMatch(l -> l.matches(".* app/libs/vertx-core-[^ ]+\\.jar")), "the dependencies");
    assertTrue(lines.stream().anyMatch(l -> l.matches("-rwxr-xr-x 0/0 .* opt/java/bin/java")), "an executable java");
    assertFalse(all.contains("rws") || all.contains("rwS"), "no setuid file");
    assertTrue(Files.isRegularFile(rootfs.resolve("app/jib-classpath-file")));
  }

  @Test
  void startsFromTheReadOnlyRootAndAnswersHealth() throws Exception {
    assertEquals(0L, new com.sun.security.auth.module.UnixSystem().getUid(),
        "starting the image needs root (a mount namespace and chroot), as CI has: run mvn verify as root");
    Map<String, String> env = TestStores.environment(Map.of());
    int port = Integer.parseInt(env.get("CG_HTTP_PORT"));
    int management = Integer.parseInt(env.get("CG_MANAGEMENT_PORT"));
    Path log = work.resolve("gateway.log");
    ProcessBuilder pb = new ProcessBuilder(containerCommand(config.getJsonArray("Entrypoint").getList(), null))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(imageEnvironment());
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int live = -1;
      while (System.nanoTime() < end && p.isAlive() && live != 200) {
        live = status(http, "http://127.0.0.1:" + port + "/health/live");
        if (live != 200) {
          Thread.sleep(250);
        }
      }
      assertEquals(200, live, "the image's gateway did not answer /health/live:\n" + Files.readString(log));
      assertEquals(200, status(http, "http://127.0.0.1:" + management + "/health/ready"), Files.readString(log));
      assertEquals(200, status(http, "http://127.0.0.1:" + management + "/metrics"), Files.readString(log));
      // the SIGTERM a kubelet sends: the JVM drains and exits on its own
      ProcessHandle java = p.descendants().reduce((a, b) -> b).orElseThrow();
      java.destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "no exit within 30 s of SIGTERM:\n" + Files.readString(log));
      assertEquals(143, p.exitValue(), Files.readString(log));
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertFalse(output.contains("Read-only file system"), output);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void heapIsHalfTheContainersMemoryLimit() throws Exception {
    assertEquals(0L, new com.sun.security.auth.module.UnixSystem().getUid(), "needs root, as CI has");
    Path cgroup = memoryCgroup();
    try {
      Files.writeString(cgroup.resolve(cgroup.toString().contains("/memory/") ? "memory.limit_in_bytes" : "memory.max"),
          String.valueOf(512L << 20));
      List<String> flags = new ArrayList<>(config.getJsonArray("Entrypoint").getList());
      List<String> probe = new ArrayList<>(flags.subList(0, flags.indexOf("-cp")));
      probe.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
      String out = run(Duration.ofSeconds(60), containerCommand(probe, cgroup).toArray(String[]::new));
      String maxHeap = out.lines().filter(l -> l.contains(" MaxHeapSize ")).findFirst().orElseThrow();
      assertTrue(maxHeap.contains("= " + (256L << 20) + " "), "a 512 MiB limit gives a 256 MiB heap: " + maxHeap);
    } finally {
      Files.deleteIfExists(cgroup);
    }
  }

  /** What runc does before exec: a private mount namespace, the root read-only, /tmp, /proc, /dev, /sys. */
  private static List<String> containerCommand(List<String> entrypoint, Path cgroup) {
    String r = rootfs.toString();
    String setup = (cgroup == null ? "" : "echo $$ > " + cgroup.resolve("cgroup.procs") + " && ")
        + "mount --bind " + r + " " + r
        + " && mount -t tmpfs -o size=64m,mode=1777 tmpfs " + r + "/tmp"
        + " && mount -t proc proc " + r + "/proc"
        + " && mount --rbind /sys " + r + "/sys"
        + " && mount -t tmpfs tmpfs " + r + "/dev"
        + " && for d in null zero random urandom; do touch " + r + "/dev/$d && mount --bind /dev/$d " + r + "/dev/$d; done"
        + " && mount -o remount,bind,ro " + r
        + " && exec chroot --userspec=" + UID + ":" + UID + " " + r + " \"$@\"";
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child=SIGKILL",
        "sh", "-c", setup, "container"));
    command.addAll(entrypoint);
    return command;
  }

  private static Map<String, String> imageEnvironment() {
    Map<String, String> env = new java.util.HashMap<>();
    for (Object e : config.getJsonArray("Env", new JsonArray())) {
      String[] kv = ((String) e).split("=", 2);
      env.put(kv[0], kv[1]);
    }
    env.putIfAbsent("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return env;
  }

  private static Path memoryCgroup() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      Path dir = f[1].equals("memory") ? Path.of("/sys/fs/cgroup/memory" + f[2])
          : f[0].equals("0") && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
          ? Path.of("/sys/fs/cgroup" + f[2]) : null;
      if (dir != null) {
        try {
          return Files.createDirectory(dir.resolve("cg-image-it-" + ProcessHandle.current().pid()));
        } catch (IOException e) {
          fail("cannot create a memory cgroup under " + dir + " (needs root and a writable cgroup fs): " + e);
        }
      }
    }
    return fail("no memory cgroup in /proc/self/cgroup");
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(Duration within, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + within);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
    return text;
  }
}
