package eu.consentgateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand over a socket, for requests no client library would send (no Host, 10 KB lines, trickles). */
public final class RawHttp {
  /** What came back: the status (0 when the connection closed without one) and the whole text. */
  public record Answer(int status, String text, boolean closed) {
    public String body() {
      int i = text.indexOf("\r\n\r\n");
      return i < 0 ? "" : text.substring(i + 4);
    }

    public String header(String name) {
      for (String line : text.split("\r\n")) {
        if (line.isEmpty()) {
          break;
        }
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1).trim();
        }
      }
      return null;
    }
  }

  private RawHttp() {
  }

  /** Sends {@code request} as is and reads until the server closes or {@code timeoutMs} pass. */
  public static Answer exchange(int port, String request, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed = false;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
      closed = n < 0;
    } catch (SocketTimeoutException e) {
      // answered what it had
    } catch (java.net.SocketException e) {
      closed = true; // reset
    }
    String text = out.toString(StandardCharsets.UTF_8);
    int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
    return new Answer(status, text, closed);
  }

  /** A full answer with Content-Length has arrived. */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }
}
