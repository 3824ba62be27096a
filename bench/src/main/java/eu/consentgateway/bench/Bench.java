package eu.consentgateway.bench;

import java.util.Arrays;

/** Entry point of cg-bench.jar: the first argument picks the tool. */
public final class Bench {
  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "bare" -> BareServer.main(rest);
        case "load" -> LoadGen.main(rest);
        case "wrk" -> WrkRun.main(rest);
        case "report" -> Report.main(rest);
        default -> usage();
      }
    } catch (Args.Invalid e) {
      System.err.println("cg-bench " + args[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }

  private static void usage() {
    System.err.println("""
        usage: java -jar cg-bench.jar <tool> [options]
          bare    --port 18081 [--instances <cores>]                     a bare Vert.x "ok" server
          load    --url URL [--scenario NAME | --body-file F] [...]     a closed-loop load generator
          wrk     the options of load, with --scenario; drives wrk (Debian package) instead
          report  --kind consents|collect ...                           compares runs against targets
        see bench/README.md for every option""");
    System.exit(2);
  }
}
