package eu.consentgateway.http;

import java.util.List;

/** CSV after RFC 4180 (CRLF, quotes doubled), with cells that a spreadsheet would run as a formula neutralised. */
public final class Csv {
  private final StringBuilder out = new StringBuilder();

  /** Appends one record. */
  public Csv row(List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i) == null ? null : String.valueOf(cells.get(i))));
    }
    out.append("\r\n");
    return this;
  }

  public Csv row(Object... cells) {
    return row(List.of(cells));
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** One cell: quoted when it must be; a leading {@code = + - @} is prefixed with an apostrophe. */
  public static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
